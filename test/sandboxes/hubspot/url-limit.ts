import type { RequestHandler } from 'express';

/**
 * The longest request target the sandbox accepts. HubSpot documents none, but a GET whose query names many
 * properties is answered `414 Request-URI Too Large` (an HTML page from its edge, not a JSON error) from about
 * 8 KB, as integrations report (dlt-hub/verified-sources#305, airbytehq/airbyte#33976).
 */
export const MAX_URL_LENGTH = 8_192;

export const urlLengthLimit: RequestHandler = (req, res, next) => {
  if (req.originalUrl.length <= MAX_URL_LENGTH) {
    next();
    return;
  }
  res
    .status(414)
    .type('html')
    .send(
      '<html>\r\n<head><title>414 Request-URI Too Large</title></head>\r\n<body>\r\n<center><h1>414 Request-URI Too Large</h1></center>\r\n</body>\r\n</html>\r\n',
    );
};
