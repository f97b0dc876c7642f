// Hand-written stand-in for the generated OpenAPI types, in openapi-typescript's shape.
// Replaced by `npm run gen:api` once the server publishes its OpenAPI document.

type NoParams = { query?: never; header?: never; path?: never; cookie?: never };
type Json<T> = { headers: { [name: string]: unknown }; content: { 'application/json': T } };
type Empty = { headers: { [name: string]: unknown }; content?: never };
type JsonBody<T> = { content: { 'application/json': T } };
type IdParam = { query?: never; header?: never; path: { id: string }; cookie?: never };

export interface components {
  schemas: {
    Error: { detail: string; code: string };
    ValidationError: {
      detail: { loc: (string | number)[]; msg: string; type: string }[];
      code: string;
    };
    Message: { message: string };
    RegisterRequest: { email: string; first_name: string; last_name: string; password: string };
    SessionRequest: { username: string; password: string };
    Token: { access_token: string; token_type: string; expires_in: number };
    User: {
      id: string;
      email: string;
      first_name: string;
      last_name: string;
      created_at: string;
      updated_at: string;
    };
    UpdateUserRequest: { first_name: string; last_name: string };
    DeleteUserRequest: { password: string };
    ChangePasswordRequest: { current_password: string; new_password: string };
    Session: {
      id: string;
      user_agent: string;
      ip: string;
      created_at: string;
      last_used_at: string;
      expires_at: string;
      current: boolean;
    };
    RevokedSessions: { revoked: number };
    Provider: 'gmail' | 'outlook' | 'imap' | 'other';
    EmailAccount: {
      id: string;
      email_address: string;
      provider: components['schemas']['Provider'];
      display_name: string;
      created_at: string;
      updated_at: string;
    };
    CreateEmailAccountRequest: {
      email_address: string;
      provider: components['schemas']['Provider'];
      display_name?: string;
    };
    UpdateEmailAccountRequest: { display_name: string };
  };
}

type S = components['schemas'];

export interface paths {
  '/api/auth/register': {
    post: {
      parameters: NoParams;
      requestBody: JsonBody<S['RegisterRequest']>;
      responses: { 201: Json<S['Message']>; 400: Json<S['Error']>; 422: Json<S['ValidationError']> };
    };
  };
  '/api/auth/session': {
    post: {
      parameters: NoParams;
      requestBody: { content: { 'application/x-www-form-urlencoded': S['SessionRequest'] } };
      responses: { 200: Json<S['Token']>; 401: Json<S['Error']> };
    };
    delete: { parameters: NoParams; requestBody?: never; responses: { 204: Empty } };
  };
  '/api/auth/session/refresh': {
    post: {
      parameters: NoParams;
      requestBody?: never;
      responses: { 200: Json<S['Token']>; 401: Json<S['Error']> };
    };
  };
  '/api/users/me': {
    get: { parameters: NoParams; requestBody?: never; responses: { 200: Json<S['User']>; 401: Json<S['Error']> } };
    put: {
      parameters: NoParams;
      requestBody: JsonBody<S['UpdateUserRequest']>;
      responses: { 200: Json<S['User']>; 422: Json<S['ValidationError']> };
    };
    delete: {
      parameters: NoParams;
      requestBody: JsonBody<S['DeleteUserRequest']>;
      responses: { 204: Empty; 400: Json<S['Error']> };
    };
  };
  '/api/users/me/password': {
    post: {
      parameters: NoParams;
      requestBody: JsonBody<S['ChangePasswordRequest']>;
      responses: { 204: Empty; 400: Json<S['Error']>; 422: Json<S['ValidationError']> };
    };
  };
  '/api/users/me/sessions': {
    get: { parameters: NoParams; requestBody?: never; responses: { 200: Json<S['Session'][]> } };
    delete: { parameters: NoParams; requestBody?: never; responses: { 200: Json<S['RevokedSessions']> } };
  };
  '/api/users/me/sessions/{id}': {
    delete: { parameters: IdParam; requestBody?: never; responses: { 204: Empty; 404: Json<S['Error']> } };
  };
  '/api/email-accounts': {
    get: { parameters: NoParams; requestBody?: never; responses: { 200: Json<S['EmailAccount'][]> } };
    post: {
      parameters: NoParams;
      requestBody: JsonBody<S['CreateEmailAccountRequest']>;
      responses: { 201: Json<S['EmailAccount']>; 400: Json<S['Error']>; 422: Json<S['ValidationError']> };
    };
  };
  '/api/email-accounts/{id}': {
    patch: {
      parameters: IdParam;
      requestBody: JsonBody<S['UpdateEmailAccountRequest']>;
      responses: { 200: Json<S['EmailAccount']>; 404: Json<S['Error']> };
    };
    delete: { parameters: IdParam; requestBody?: never; responses: { 204: Empty; 404: Json<S['Error']> } };
  };
}
