/** GET /: a placeholder until the sessions UI is served here. */
export const HOME_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Stitch sessions</title>
</head>
<body>
<h1>Stitch sessions</h1>
<p>The sessions UI is coming here. Until then, the sessions API answers under <code>/api/</code>:</p>
<ul>
<li><a href="/api/openapi.json">/api/openapi.json</a> — the OpenAPI description of every endpoint</li>
<li><a href="/api/sessions">/api/sessions</a> — sessions of the last 24 hours</li>
<li><a href="/api/kpis">/api/kpis</a> — key figures of the last 24 hours</li>
</ul>
</body>
</html>
`;
