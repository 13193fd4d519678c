// Server side (the emulator): any HTTP request is routed and decoded, or
// rejected with a status, without crashing.
#include <memory>

#include "tests/fuzz/fuzz_support.h"
#include "translators/protocol.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const awsgw::fuzz::Services& services = awsgw::fuzz::LoadServices();
  awsgw::fuzz::Input input(data, size);
  const auto* service = services.services[input.Byte() % services.services.size()];
  static constexpr const char* kMethods[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
  awsgw::http::HttpRequest request;
  request.method = kMethods[input.Byte() % 5];
  awsgw::http::SetRequestTarget(request, input.Line());
  request.headers = input.Headers();
  request.body = input.Rest();

  const awsgw::translators::Protocol& protocol =
      awsgw::translators::ProtocolFor(service->options().GetExtension(awsgw::service));
  auto method = protocol.Route(service, request);
  if (!method.ok()) return 0;
  const awsgw::translators::Operation op = awsgw::translators::Operation::For(*method);
  auto* factory = const_cast<google::protobuf::DynamicMessageFactory*>(&services.factory);
  std::unique_ptr<google::protobuf::Message> message(
      factory->GetPrototype(op.method->input_type())->New());
  if (protocol.DecodeRequest(op, request, message.get()).ok()) {
    // What was decoded must encode again.
    (void)protocol.EncodeRequest(op, *message);
  }
  return 0;
}
