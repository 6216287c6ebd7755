// A part of a language's catalog, built by vite.config.ts (compiledCatalogs).
declare module '*.json?catalog=public' {
  const catalog: import('./compiled-messages.ts').CompiledCatalog;
  export default catalog;
}
declare module '*.json?catalog=work' {
  const catalog: import('./compiled-messages.ts').CompiledCatalog;
  export default catalog;
}
