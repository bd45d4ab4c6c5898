// Text assets inlined by the bundler (esbuild's text loader).
declare module '*.jsonl' {
  const text: string;
  export default text;
}
