// What a hostile or broken server (or anything between) sends back to the
// outbound HTTP client: the bytes read off the connection, parsed exactly as
// Connection reads them (http/client/response_parser.h: body and header
// limits, no body after HEAD, interim 1xx responses skipped until the final
// one), then turned into the model by FromWireResponse
// (http/client/wire_request.h).
//
// Input: a flags byte (bit 0: the request was HEAD; bits 1-2: the body
// limit, 0 B to 1 MiB; bits 3-4: the header limit, 64 B to 64 KiB), a byte
// for the size of each read (1 to 256 bytes), then the stream.
//
// Invariants: nothing crashes; a final response has a body within the
// limit, no body after HEAD, a three-digit status that is not interim,
// and FromWireResponse keeps its status, every header in order and its
// body; the same stream read in one piece gives the same outcome (unless
// the header limit is hit, which Beast applies per buffer).
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/error.hpp>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "http/client/response_parser.h"
#include "http/client/wire_request.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

namespace bhttp = boost::beast::http;
using awsgw::http::client::ResponseParser;

struct Outcome {
  bool ok = false;
  awsgw::http::HttpResponse response;
  int interim = 0;  // interim responses skipped
  boost::system::error_code error;
};

struct Settings {
  bhttp::verb method;
  uint64_t max_body_bytes;
  uint32_t max_header_bytes;
};

// Reads one final response from `stream`, `read_size` bytes per read, the
// way Connection::StartRead / OnRead do with http::async_read.
Outcome Read(const std::string& stream, size_t read_size, const Settings& settings) {
  Outcome outcome;
  std::string buffer;  // bytes read but not yet parsed: must persist between messages
  size_t offset = 0;   // how much of `stream` has been read
  std::optional<ResponseParser> parser;
  auto reset = [&] {
    parser.emplace();
    awsgw::http::client::PrepareResponseParser(*parser, settings.method, settings.max_body_bytes,
                                               settings.max_header_bytes);
    parser->eager(true);  // as http::async_read sets it for a whole message
  };
  reset();
  while (true) {
    boost::system::error_code ec;
    while (!parser->is_done()) {
      if (!buffer.empty()) {
        const size_t used = parser->put(boost::asio::buffer(buffer), ec);
        buffer.erase(0, used);
        if (ec == bhttp::error::need_more) {
          ec = {};
        } else if (ec) {
          outcome.error = ec;
          return outcome;
        } else if (used > 0) {
          continue;
        }
      }
      if (offset == stream.size()) {
        // As Beast's read does: the end before any byte is end_of_stream
        // (put_eof asserts it got some), after some it is the parser's call.
        if (parser->got_some()) {
          parser->put_eof(ec);
        } else {
          ec = bhttp::error::end_of_stream;
        }
        if (ec) {
          outcome.error = ec;
          return outcome;
        }
        break;
      }
      const size_t n = std::min(read_size, stream.size() - offset);
      buffer.append(stream, offset, n);
      offset += n;
    }
    if (!parser->is_done()) return outcome;
    const unsigned status = parser->get().result_int();
    if (awsgw::http::client::IsInterimStatus(status)) {
      ++outcome.interim;
      reset();
      continue;
    }
    const size_t fields = static_cast<size_t>(
        std::distance(parser->get().base().begin(), parser->get().base().end()));
    awsgw::http::client::WireResponse wire = parser->release();
    std::vector<std::pair<std::string, std::string>> headers;
    for (const auto& field : wire) {
      headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    const std::string body = wire.body();
    outcome.response = awsgw::http::client::FromWireResponse(std::move(wire));
    outcome.ok = true;
    if (outcome.response.status != static_cast<int>(status) ||
        outcome.response.headers.size() != fields || outcome.response.body != body) {
      std::abort();
    }
    for (size_t i = 0; i < headers.size(); ++i) {
      if (outcome.response.headers[i].name != headers[i].first ||
          outcome.response.headers[i].value != headers[i].second) {
        std::abort();
      }
    }
    return outcome;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  awsgw::fuzz::Input input(data, size);
  const uint8_t flags = input.Byte();
  const size_t read_size = 1 + input.Byte();
  static constexpr uint64_t kBodyLimits[] = {0, 16, 4096, 1 << 20};
  static constexpr uint32_t kHeaderLimits[] = {64, 1024, 8192, 64 * 1024};
  const Settings settings{(flags & 1) != 0 ? bhttp::verb::head : bhttp::verb::post,
                          kBodyLimits[(flags >> 1) & 3], kHeaderLimits[(flags >> 3) & 3]};
  const std::string stream = input.Rest();

  const Outcome outcome = Read(stream, read_size, settings);
  if (outcome.ok) {
    const awsgw::http::HttpResponse& response = outcome.response;
    if (response.body.size() > settings.max_body_bytes) std::abort();
    if (settings.method == bhttp::verb::head && !response.body.empty()) std::abort();
    // Any three digits: a status outside 100-599 (even "010") reaches the
    // caller as it is, as an error (only 2xx is success).
    if (response.status < 0 || response.status > 999 ||
        awsgw::http::client::IsInterimStatus(static_cast<unsigned>(response.status))) {
      std::abort();
    }
  }
  const Outcome whole = Read(stream, stream.size() + 1, settings);
  // AWSGW_FUZZ_VERBOSE=1 prints both outcomes (to see what a seed reaches).
  static const bool verbose = std::getenv("AWSGW_FUZZ_VERBOSE") != nullptr;
  if (verbose) {
    for (const Outcome* o : {&outcome, &whole}) {
      std::fprintf(stderr, "%s: interim %d, status %d, %zu headers, %zu body bytes, error '%s'\n",
                   o == &outcome ? "in reads" : "at once", o->interim, o->response.status,
                   o->response.headers.size(), o->response.body.size(), o->error.message().c_str());
    }
  }
  // Beast applies the header limit to the start line and to the fields
  // separately within one buffer, so a header block a little over the limit
  // passes when it arrives at once and not in pieces: no comparison then.
  if (whole.error == bhttp::error::header_limit || outcome.error == bhttp::error::header_limit) {
    return 0;
  }
  if (whole.ok != outcome.ok || whole.interim != outcome.interim ||
      (whole.ok && (whole.response.status != outcome.response.status ||
                    whole.response.headers != outcome.response.headers ||
                    whole.response.body != outcome.response.body))) {
    std::abort();
  }
  return 0;
}
