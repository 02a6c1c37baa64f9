/**
 * The shapes AWS sends and expects for HTTP invocations: API Gateway HTTP API payload format 2.0, which
 * Lambda Function URLs use too (routeKey and stage are `$default` there). Only what we read or return is typed.
 */
export interface LambdaHttpEvent {
  version: '2.0';
  routeKey: string;
  rawPath: string;
  /** Percent-encoded as the client sent it, without the leading `?`. */
  rawQueryString: string;
  cookies?: string[];
  headers: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  requestContext: {
    accountId: string;
    apiId: string;
    domainName: string;
    domainPrefix: string;
    http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
    requestId: string;
    routeKey: string;
    stage: string;
    time: string;
    timeEpoch: number;
  };
  body?: string;
  /** Function URLs base64-encode any body whose content type is not text or JSON-like. */
  isBase64Encoded: boolean;
}

export interface LambdaHttpResult {
  statusCode: number;
  headers?: Record<string, string>;
  cookies?: string[];
  body?: string;
  isBase64Encoded?: boolean;
}

/** The part of Lambda's context object the handlers read. */
export interface LambdaContext {
  getRemainingTimeInMillis?: () => number;
  awsRequestId?: string;
}
