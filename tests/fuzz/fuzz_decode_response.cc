// Client side: any HTTP response to any operation is decoded into a message or
// an error status without crashing, hanging or reading out of bounds.
#include <memory>

#include "tests/fuzz/fuzz_support.h"
#include "translators/aws_error.h"
#include "translators/protocol.h"
#include "translators/status_mapping.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const awsgw::fuzz::Services& services = awsgw::fuzz::LoadServices();
  awsgw::fuzz::Input input(data, size);
  const size_t index = (input.Byte() << 8 | input.Byte()) % services.methods.size();
  const awsgw::translators::Operation op =
      awsgw::translators::Operation::For(services.methods[index]);
  static constexpr int kStatuses[] = {200, 201, 204, 400, 404, 429, 500, 503};
  awsgw::http::HttpResponse response;
  response.status = kStatuses[input.Byte() % 8];
  response.headers = input.Headers();
  response.body = input.Rest();

  auto* factory = const_cast<google::protobuf::DynamicMessageFactory*>(&services.factory);
  if (response.status < 300) {
    std::unique_ptr<google::protobuf::Message> message(
        factory->GetPrototype(op.method->output_type())->New());
    (void)awsgw::translators::ProtocolFor(*op.service).DecodeResponse(op, response, message.get());
    message->ByteSizeLong();  // the result must be a valid message
  } else {
    const awsgw::translators::AwsError error = awsgw::translators::ParseAwsError(response);
    auto modeled = awsgw::translators::DecodeModeledError(op, error, response, factory);
    (void)awsgw::translators::ToGrpcStatus(op, error, modeled.get());
  }
  return 0;
}
