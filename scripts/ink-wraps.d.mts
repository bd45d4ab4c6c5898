export declare const INK_WRAPS: readonly { importer: string; file: string; source: string; wrapper: string }[];
export declare function wrappedSource(realPath: string, wrapperPath: string, wrapper: string): string;
