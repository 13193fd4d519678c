#include "http/client/response_parser.h"

namespace awsgw::http::client {

void PrepareResponseParser(ResponseParser& parser, boost::beast::http::verb request_method,
                           uint64_t max_body_bytes, uint32_t max_header_bytes) {
  parser.body_limit(max_body_bytes);
  parser.header_limit(max_header_bytes);
  // A response to HEAD has no body, whatever its Content-Length says.
  if (request_method == boost::beast::http::verb::head) parser.skip(true);
}

bool IsInterimStatus(unsigned status) { return status >= 100 && status < 200 && status != 101; }

}  // namespace awsgw::http::client
