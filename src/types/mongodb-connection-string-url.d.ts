// The package ships types for its CommonJS entry only; under "exports" TypeScript finds none
// for `import`. These are the members chartkeeper uses, as lib/index.d.ts declares them.
declare module 'mongodb-connection-string-url' {
  export class ConnectionString {
    constructor(uri: string, options?: { looseValidation?: boolean });
    readonly protocol: string;
    readonly username: string;
    readonly password: string;
    readonly pathname: string;
    readonly hosts: string[];
    readonly searchParams: URLSearchParams;
  }
}
