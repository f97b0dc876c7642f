/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Where the API lives; empty (the default) means this origin, as the binary serves both. */
  readonly VITE_API_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
