// Translator throughput next to protobuf's own JSON printer and parser, on the
// same messages in the same run: a large ECS RegisterTaskDefinition request
// (encode) and a large ECS DescribeServices response (decode).
//
// The messages are filled generically (every field, lists of 4, nested 4
// deep), so they exercise every member type the models use.
//
//   build/bench/translators_bench --benchmark_counters_tabular=true
// Compare bytes_per_second of the Translators/* rows with the Protobuf/* rows.
#include <string>

#include "aws/ecs/v1/ecs.pb.h"
#include "benchmark/benchmark.h"
#include "google/protobuf/util/json_util.h"
#include "translators/json_codec.h"
#include "translators/protocol.h"

namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// Sets every field of `m`, `width` elements per list and map, to `depth`.
void Fill(Message* m, int depth, int width, int* counter) {
  const auto* r = m->GetReflection();
  const auto* d = m->GetDescriptor();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->containing_oneof() != nullptr && !f->containing_oneof()->is_synthetic() &&
        f->index_in_oneof() != 0) {
      continue;  // one member per union
    }
    if (f->name().size() > 4 && f->name().substr(f->name().size() - 4) == "_raw") continue;
    const int n = f->is_repeated() ? width : 1;
    for (int k = 0; k < n; ++k) {
      ++*counter;
      if (f->is_map()) {
        Message* entry = r->AddMessage(m, f);
        entry->GetReflection()->SetString(entry, f->message_type()->map_key(),
                                          "key-" + std::to_string(*counter));
        const FieldDescriptor* v = f->message_type()->map_value();
        if (v->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
          entry->GetReflection()->SetString(entry, v, "value-" + std::to_string(*counter));
        } else if (v->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && depth > 0) {
          Fill(entry->GetReflection()->MutableMessage(entry, v), depth - 1, width, counter);
        }
        continue;
      }
      switch (f->cpp_type()) {
        case FieldDescriptor::CPPTYPE_INT32:
          f->is_repeated() ? r->AddInt32(m, f, *counter) : r->SetInt32(m, f, *counter);
          break;
        case FieldDescriptor::CPPTYPE_INT64:
          f->is_repeated() ? r->AddInt64(m, f, *counter * 1000003LL)
                           : r->SetInt64(m, f, *counter * 1000003LL);
          break;
        case FieldDescriptor::CPPTYPE_DOUBLE:
          f->is_repeated() ? r->AddDouble(m, f, *counter + 0.25)
                           : r->SetDouble(m, f, *counter + 0.25);
          break;
        case FieldDescriptor::CPPTYPE_FLOAT:
          f->is_repeated() ? r->AddFloat(m, f, 0.5f) : r->SetFloat(m, f, 0.5f);
          break;
        case FieldDescriptor::CPPTYPE_BOOL:
          f->is_repeated() ? r->AddBool(m, f, true) : r->SetBool(m, f, true);
          break;
        case FieldDescriptor::CPPTYPE_STRING: {
          std::string s = "value-" + std::to_string(*counter) + " with some text/ü";
          f->is_repeated() ? r->AddString(m, f, s) : r->SetString(m, f, s);
          break;
        }
        case FieldDescriptor::CPPTYPE_ENUM:
          f->is_repeated() ? r->AddEnumValue(m, f, 1) : r->SetEnumValue(m, f, 1);
          break;
        case FieldDescriptor::CPPTYPE_MESSAGE: {
          if (depth == 0) break;
          Message* sub = f->is_repeated() ? r->AddMessage(m, f) : r->MutableMessage(m, f);
          if (sub->GetDescriptor()->full_name() == "google.protobuf.Timestamp") {
            sub->GetReflection()->SetInt64(sub, sub->GetDescriptor()->field(0), 1700000000);
          } else if (sub->GetDescriptor()->full_name() == "google.protobuf.Value") {
            sub->GetReflection()->SetString(
                sub, sub->GetDescriptor()->FindFieldByName("string_value"), "doc");
          } else {
            Fill(sub, depth - 1, width, counter);
          }
          break;
        }
        default:
          break;
      }
    }
  }
}

template <typename T>
T Filled() {
  T message;
  int counter = 0;
  Fill(&message, 4, 4, &counter);
  return message;
}

const aws::ecs::v1::RegisterTaskDefinitionRequest& Request() {
  static const auto* request = new aws::ecs::v1::RegisterTaskDefinitionRequest(
      Filled<aws::ecs::v1::RegisterTaskDefinitionRequest>());
  return *request;
}

const aws::ecs::v1::DescribeServicesResponse& Response() {
  static const auto* response =
      new aws::ecs::v1::DescribeServicesResponse(Filled<aws::ecs::v1::DescribeServicesResponse>());
  return *response;
}

awsgw::translators::Operation Op(const char* name) {
  return awsgw::translators::Operation::For(
      aws::ecs::v1::RegisterTaskDefinitionRequest::descriptor()
          ->file()
          ->service(0)
          ->FindMethodByName(name));
}

void Translators_EncodeRegisterTaskDefinition(benchmark::State& state) {
  const auto op = Op("RegisterTaskDefinition");
  const auto& protocol = awsgw::translators::ProtocolFor(*op.service);
  size_t bytes = 0;
  for (auto _ : state) {
    auto encoded = protocol.EncodeRequest(op, Request());
    bytes += encoded->http.body.size();
    benchmark::DoNotOptimize(encoded);
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(Translators_EncodeRegisterTaskDefinition);

void Protobuf_PrintRegisterTaskDefinition(benchmark::State& state) {
  size_t bytes = 0;
  for (auto _ : state) {
    std::string json;
    (void)google::protobuf::util::MessageToJsonString(Request(), &json);
    bytes += json.size();
    benchmark::DoNotOptimize(json);
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(Protobuf_PrintRegisterTaskDefinition);

void Translators_DecodeDescribeServices(benchmark::State& state) {
  const auto op = Op("DescribeServices");
  const auto& protocol = awsgw::translators::ProtocolFor(*op.service);
  awsgw::http::HttpResponse http;
  http.body = *awsgw::translators::ToJson(Response());
  for (auto _ : state) {
    aws::ecs::v1::DescribeServicesResponse out;
    (void)protocol.DecodeResponse(op, http, &out);
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<int64_t>(http.body.size() * state.iterations()));
}
BENCHMARK(Translators_DecodeDescribeServices);

void Protobuf_ParseDescribeServices(benchmark::State& state) {
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(Response(), &json);
  for (auto _ : state) {
    aws::ecs::v1::DescribeServicesResponse out;
    (void)google::protobuf::util::JsonStringToMessage(json, &out);
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<int64_t>(json.size() * state.iterations()));
}
BENCHMARK(Protobuf_ParseDescribeServices);

}  // namespace

BENCHMARK_MAIN();
