// The AWS wire protocols, both directions, behind one interface.
//
// Client side (the gateway): a request message becomes an HttpRequest, and
// the HttpResponse becomes the response message or an AwsError.
// Server side (the emulator): an HttpRequest is routed to an operation and
// becomes its request message; a response message or error becomes an
// HttpResponse. The two sides round-trip.
//
// Everything an implementation needs comes from the descriptors' awsgw
// options; there is one implementation per protocol, none per operation.
//
// Example (client side):
//   const Protocol& protocol = ProtocolFor(service_info);
//   Operation op = Operation::For(method_descriptor);
//   absl::StatusOr<EncodedRequest> request = protocol.EncodeRequest(op, message);
#ifndef AWSGW_TRANSLATORS_PROTOCOL_H_
#define AWSGW_TRANSLATORS_PROTOCOL_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "awsgw/options.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "http/http_message.h"
#include "translators/aws_error.h"

namespace awsgw::translators {

// One AWS operation: the rpc's descriptor with its service's and its own options.
struct Operation {
  const google::protobuf::MethodDescriptor* method = nullptr;
  const ServiceInfo* service = nullptr;
  const OperationInfo* info = nullptr;

  static Operation For(const google::protobuf::MethodDescriptor* method);
};

struct EncodedRequest {
  http::HttpRequest http;
  // The operation's endpoint host prefix with its labels filled ("data-",
  // "foo.bar."), to put in front of the endpoint host; usually empty.
  std::string host_prefix;
};

class Protocol {
 public:
  virtual ~Protocol() = default;

  // ---- client side ----

  // The HTTP request for `request` (already validated, tokens filled: see
  // request_preparation.h). The Host header is the HTTP client's to add.
  // INVALID_ARGUMENT, naming the field, for values that cannot be sent.
  virtual absl::StatusOr<EncodedRequest> EncodeRequest(
      const Operation& op, const google::protobuf::Message& request) const = 0;

  // Fills `response` from a successful (2xx) HTTP response. INVALID_ARGUMENT
  // when the body does not parse (the caller reports it as a bad answer from
  // AWS, not as the caller's fault).
  virtual absl::Status DecodeResponse(const Operation& op, const http::HttpResponse& http,
                                      google::protobuf::Message* response) const = 0;

  // ---- server side ----

  // The operation an incoming request is for, among the methods of `service`.
  // NOT_FOUND when no operation matches.
  virtual absl::StatusOr<const google::protobuf::MethodDescriptor*> Route(
      const google::protobuf::ServiceDescriptor* service,
      const http::HttpRequest& request) const = 0;

  // Fills `request` from an incoming HTTP request routed to `op`.
  // INVALID_ARGUMENT (naming the member) when a value does not parse.
  virtual absl::Status DecodeRequest(const Operation& op, const http::HttpRequest& http,
                                     google::protobuf::Message* request) const = 0;

  // The HTTP response for a successful `response`.
  virtual absl::StatusOr<http::HttpResponse> EncodeResponse(
      const Operation& op, const google::protobuf::Message& response) const = 0;

  // The HTTP response for an error: `details`, if given, is the modeled error
  // message (its members are written too), else only code and message.
  virtual http::HttpResponse EncodeError(const Operation& op, const AwsError& error,
                                         const google::protobuf::Message* details) const = 0;
};

// The implementation for a service's protocol (it lives for the process).
const Protocol& ProtocolFor(const ServiceInfo& service);

}  // namespace awsgw::translators

#endif  // AWSGW_TRANSLATORS_PROTOCOL_H_
