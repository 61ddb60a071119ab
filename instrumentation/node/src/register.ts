// Zero-code start: `node --import @stitch/node/register app.js`. Configuration comes only from the
// standard OTEL_* environment variables (OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_ENDPOINT, …).
import { diag, DiagConsoleLogger, DiagLogLevel } from '@opentelemetry/api';
import { startStitch } from './start.js';

if (!process.env.OTEL_LOG_LEVEL) diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.WARN);
startStitch();
