// How a response is read off a connection: the Beast parser with the
// client's limits, the HEAD rule and what counts as an interim response.
//
// Why a file of its own: the rules decide what a (possibly hostile) server
// can make the client hold in memory, so Connection and the fuzz target
// (tests/fuzz/fuzz_http_response.cc) must read responses the same way.
#ifndef AWSGW_HTTP_CLIENT_RESPONSE_PARSER_H_
#define AWSGW_HTTP_CLIENT_RESPONSE_PARSER_H_

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/verb.hpp>
#include <cstdint>

namespace awsgw::http::client {

using ResponseParser = boost::beast::http::response_parser<boost::beast::http::string_body>;

// Prepares a fresh `parser` for the response to a request with
// `request_method`: a body of at most `max_body_bytes` (else
// http::error::body_limit), a header block of at most `max_header_bytes`
// (else http::error::header_limit), and no body at all after HEAD, whatever
// Content-Length says. A new parser is needed for every response, interim
// ones included.
void PrepareResponseParser(ResponseParser& parser, boost::beast::http::verb request_method,
                           uint64_t max_body_bytes, uint32_t max_header_bytes);

// Whether a response with `status` is interim (100 Continue, 103 Early
// Hints, ...): the final response follows on the same connection. 101
// Switching Protocols is final: nothing HTTP follows it.
bool IsInterimStatus(unsigned status);

}  // namespace awsgw::http::client

#endif  // AWSGW_HTTP_CLIENT_RESPONSE_PARSER_H_
