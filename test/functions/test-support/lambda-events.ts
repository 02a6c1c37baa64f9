import type { LambdaHttpEvent } from '@closewise/server/functions/lambda-events';
import { PUBLIC_BASE_URL, type SignedRequest } from './hubspot-requests.ts';

const domainName = new URL(PUBLIC_BASE_URL).host;

/**
 * The request as a Lambda event, in the two shapes of AWS's docs (payload format 2.0): a Function URL
 * (`$default` route and stage, account `anonymous` without IAM auth) and an API Gateway HTTP API route.
 * rawPath is the path, rawQueryString the query without `?`; the body is base64 when `base64` is set (what
 * Function URLs do for content types they do not treat as text).
 */
export function lambdaEvent(
  request: SignedRequest,
  shape: 'function-url' | 'http-api',
  options: { base64?: boolean } = {},
): LambdaHttpEvent {
  const [rawPath = '/', rawQueryString = ''] = request.pathAndQuery.split('?');
  const routeKey = shape === 'function-url' ? '$default' : 'ANY /{proxy+}';
  const headers: Record<string, string> = {
    host: domainName,
    'x-forwarded-proto': 'https',
    'x-forwarded-port': '443',
    'x-forwarded-for': '54.240.196.186',
    'user-agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/)',
    'x-amzn-trace-id': 'Root=1-62ecd163-5f302e550dcde3b12402207d',
    ...request.headers,
  };
  const event: LambdaHttpEvent = {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString,
    headers,
    ...(rawQueryString ? { queryStringParameters: Object.fromEntries(new URLSearchParams(rawQueryString)) } : {}),
    requestContext: {
      accountId: shape === 'function-url' ? 'anonymous' : '123456789012',
      apiId: shape === 'function-url' ? 'abcdefghij' : 'api-id',
      domainName,
      domainPrefix: domainName.split('.')[0] ?? '',
      http: {
        method: request.method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '54.240.196.186',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      routeKey,
      stage: '$default',
      time: '05/Aug/2022:08:14:39 +0000',
      timeEpoch: Date.now(),
    },
    isBase64Encoded: options.base64 === true,
  };
  if (request.body !== undefined) event.body = options.base64 ? Buffer.from(request.body).toString('base64') : request.body;
  return event;
}
