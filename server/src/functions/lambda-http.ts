// AWS Lambda entry of the HTTP API (Function URL or API Gateway HTTP API, payload format 2.0).
// Handler: `lambda-http.handler` in the bundle (npm run build:functions).
import { configure } from '@codegenie/serverless-express';
import { createFunctionHttpApp } from './http-app.ts';
import type { LambdaContext, LambdaHttpEvent, LambdaHttpResult } from './lambda-events.ts';
import { failStartup } from './startup-failure.ts';

// Built during Lambda's init phase (top-level await), once per instance; a config error stops the instance with one line.
const { app } = await createFunctionHttpApp(process.env).catch(failStartup);

// serverless-express turns the v2 event into a Node request for our Express app: rawPath + rawQueryString
// as the URL, the body bytes decoded from base64 when isBase64Encoded, headers lower-cased.
const proxy = configure({ app });

export function handler(event: LambdaHttpEvent, context: LambdaContext = {}): Promise<LambdaHttpResult> {
  return proxy(event, context, () => undefined) as Promise<LambdaHttpResult>;
}
