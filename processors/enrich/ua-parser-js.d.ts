// ua-parser-js 1.0.x ships no types; this declares the part of its API we use. (2.x has types
// but is AGPL: we stay on 1.0.x, MIT.)
declare module 'ua-parser-js' {
  namespace UAParser {
    interface IResult {
      ua: string;
      browser: { name?: string; version?: string; major?: string };
      engine: { name?: string; version?: string };
      os: { name?: string; version?: string };
      device: { vendor?: string; model?: string; type?: string };
      cpu: { architecture?: string };
    }
  }
  class UAParser {
    constructor(ua?: string);
    getResult(): UAParser.IResult;
  }
  export = UAParser;
}
