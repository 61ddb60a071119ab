/** What kind of rule redacted something: a detector, or one of the key and URL rules. */
export type Finding = string;

/** What was redacted in one record: counts by rule and the keys touched, never the values. */
export class Tally {
  count = 0;
  readonly keys = new Set<string>();
  readonly byFinding = new Map<Finding, number>();

  add(key: string, finding: Finding): void {
    this.count++;
    this.keys.add(key);
    this.byFinding.set(finding, (this.byFinding.get(finding) ?? 0) + 1);
  }
}
