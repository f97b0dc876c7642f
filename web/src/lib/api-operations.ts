import type { paths } from './api-types';

// The types of every call, derived from the OpenAPI document's generated `paths`: a wrong
// path, body, path parameter or response is a compile error in the caller.

/** Method is an HTTP verb the API uses, lower-case as in the generated paths. */
export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Path = keyof paths;

type Operation<P extends Path, M extends Method> = M extends keyof paths[P] ? Exclude<paths[P][M], undefined> : never;

/** PathFor lists the paths that accept method M. */
export type PathFor<M extends Method> = {
  [P in Path]: [Operation<P, M>] extends [never] ? never : P;
}[Path];

type Responses<O> = O extends { responses: infer R } ? R : never;
type SuccessStatus = 200 | 201 | 202 | 204;
type JsonOf<R> = R extends { content: { 'application/json': infer C } } ? C : undefined;

/** ResponseBody is what a successful call to method M on path P resolves to. */
export type ResponseBody<P extends Path, M extends Method> = {
  [S in keyof Responses<Operation<P, M>>]: S extends SuccessStatus ? JsonOf<Responses<Operation<P, M>>[S]> : never;
}[keyof Responses<Operation<P, M>>];

type BodyOf<O> = O extends { requestBody?: infer B } ? NonNullable<B> : never;
type ContentOf<O, Type extends string> = [BodyOf<O>] extends [never]
  ? never
  : BodyOf<O> extends { content: { [K in Type]: infer C } }
    ? C
    : never;
type PathParamsOf<O> = O extends { parameters: { path: infer P } } ? P : never;
type QueryOf<O> = O extends { parameters: { query: infer Q } } ? Q : never;

/** RequestBody is the JSON body that method M on path P takes. */
export type RequestBody<P extends Path, M extends Method> = ContentOf<Operation<P, M>, 'application/json'>;

/** RequestOptions is what a call needs besides the path: its body, path parameters and flags. */
export type RequestOptions<P extends Path, M extends Method> = ([RequestBody<P, M>] extends [never]
  ? unknown
  : { json: RequestBody<P, M> }) &
  ([ContentOf<Operation<P, M>, 'application/x-www-form-urlencoded'>] extends [never]
    ? unknown
    : { form: ContentOf<Operation<P, M>, 'application/x-www-form-urlencoded'> }) &
  ([PathParamsOf<Operation<P, M>>] extends [never] ? unknown : { params: PathParamsOf<Operation<P, M>> }) &
  ([QueryOf<Operation<P, M>>] extends [never] ? unknown : { query: QueryOf<Operation<P, M>> }) & {
    /** Send the access token, and refresh once on a 401. Default true. */
    auth?: boolean;
    signal?: AbortSignal;
  };

/** Args makes the options optional when none of them is required. */
export type Args<T> = Partial<T> extends T ? [options?: T] : [options: T];

/** RuntimeOptions are the options as the client reads them; the types above guarantee their shape. */
export interface RuntimeOptions {
  json?: unknown;
  form?: Record<string, string>;
  params?: Record<string, string>;
  query?: Record<string, string>;
  auth?: boolean;
  signal?: AbortSignal;
}
