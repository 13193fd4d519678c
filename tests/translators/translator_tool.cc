// A line-oriented driver of the translators for tests written in Python:
// the protocol conformance runner and the botocore differential tests.
//
// stdin, one JSON object per line; stdout, one JSON answer per line.
//   {"cmd":"load","descriptor_set":PATH}
//       Adds the files of a FileDescriptorSet (google/protobuf and awsgw files
//       come from the binary's own pool).
//   {"cmd":"encode_request","method":"pkg.Service.Op","message":B64,"uuid":S}
//       -> {"method","path","query":[[k,v]],"headers":[[n,v]],"body":B64,
//           "host_prefix","prepared":B64 (the message after token filling)}
//       or {"error":{"code","message"}}
//   {"cmd":"decode_response","method":M,"status":N,"headers":[[n,v]],"body":B64}
//       -> {"message":B64} for 2xx, else {"aws_error":{"code","message",
//           "request_id","grpc_code","modeled":B64,"modeled_type"}}
//   {"cmd":"route","service":"pkg.Service","method":"GET","path":P,"query":[[k,v]],
//    "headers":[[n,v]]} -> {"method": full name} or {"error":...}
//   {"cmd":"decode_request","method":M,"path":P,"query":[[k,v]],"headers":[[n,v]],
//    "body":B64} -> {"message":B64}
//   {"cmd":"encode_response","method":M,"message":B64}
//       -> {"status","headers":[[n,v]],"body":B64}
// Messages travel as base64 of their binary encoding.
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/escaping.h"
#include "base/uuid.h"
#include "boost/json.hpp"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/dynamic_message.h"
#include "translators/aws_error.h"
#include "translators/protocol.h"
#include "translators/request_preparation.h"
#include "translators/status_mapping.h"

namespace {

namespace json = boost::json;
using google::protobuf::DescriptorPool;
using google::protobuf::DynamicMessageFactory;
using google::protobuf::Message;
using google::protobuf::MethodDescriptor;

std::string Str(const json::value& v) {
  return v.is_string() ? std::string(v.get_string().data(), v.get_string().size()) : "";
}

std::string B64Decode(const json::value& v) {
  std::string out;
  absl::Base64Unescape(Str(v), &out);
  return out;
}

json::string B64(const std::string& bytes) {
  const std::string b = absl::Base64Escape(bytes);
  return json::string(b.data(), b.size());
}

json::value Error(const absl::Status& status) {
  return {{"error",
           {{"code", absl::StatusCodeToString(status.code())},
            {"message", std::string(status.message())}}}};
}

awsgw::http::HttpHeaders Headers(const json::value& v) {
  awsgw::http::HttpHeaders headers;
  if (!v.is_array()) return headers;
  for (const json::value& pair : v.get_array()) {
    headers.push_back({Str(pair.at(0)), Str(pair.at(1))});
  }
  return headers;
}

json::array Pairs(const awsgw::http::HttpHeaders& headers) {
  json::array out;
  for (const auto& h : headers) out.push_back(json::array{h.name.c_str(), h.value.c_str()});
  return out;
}

class Tool {
 public:
  Tool() : pool_(DescriptorPool::generated_pool()), factory_(&pool_) {
    factory_.SetDelegateToGeneratedFactory(true);
  }

  json::value Handle(const json::object& req) {
    const std::string cmd = Str(req.at("cmd"));
    if (cmd == "load") return Load(Str(req.at("descriptor_set")));
    if (cmd == "route") return Route(req);
    const MethodDescriptor* method = pool_.FindMethodByName(Str(req.at("method")));
    if (method == nullptr) return Error(absl::NotFoundError("no method " + Str(req.at("method"))));
    const awsgw::translators::Operation op = awsgw::translators::Operation::For(method);
    const awsgw::translators::Protocol& protocol = awsgw::translators::ProtocolFor(*op.service);
    if (cmd == "encode_request") return EncodeRequest(req, op, protocol);
    if (cmd == "decode_response") return DecodeResponse(req, op, protocol);
    if (cmd == "decode_request") return DecodeRequest(req, op, protocol);
    if (cmd == "encode_response") return EncodeResponse(req, op, protocol);
    return Error(absl::InvalidArgumentError("unknown cmd " + cmd));
  }

 private:
  json::value Load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    google::protobuf::FileDescriptorSet set;
    if (!set.ParseFromIstream(&in)) return Error(absl::NotFoundError("cannot read " + path));
    int loaded = 0;
    for (const auto& file : set.file()) {
      if (pool_.FindFileByName(file.name()) != nullptr) continue;  // generated already
      if (pool_.BuildFile(file) == nullptr) {
        return Error(absl::InvalidArgumentError("cannot build " + file.name()));
      }
      ++loaded;
    }
    return {{"loaded", loaded}};
  }

  std::unique_ptr<Message> New(const MethodDescriptor* method, bool input) {
    return std::unique_ptr<Message>(
        factory_.GetPrototype(input ? method->input_type() : method->output_type())->New());
  }

  json::value EncodeRequest(const json::object& req, const awsgw::translators::Operation& op,
                            const awsgw::translators::Protocol& protocol) {
    std::unique_ptr<Message> message = New(op.method, true);
    if (!message->ParseFromString(B64Decode(req.at("message")))) {
      return Error(absl::InvalidArgumentError("bad message"));
    }
    const std::string uuid = req.contains("uuid") ? Str(req.at("uuid")) : "";
    awsgw::translators::FillIdempotencyTokens(
        message.get(), [&] { return uuid.empty() ? awsgw::base::RandomUuid() : uuid; });
    if (req.contains("validate")) {
      if (absl::Status s = awsgw::translators::ValidateRequired(*message); !s.ok()) {
        return Error(s);
      }
    }
    auto encoded = protocol.EncodeRequest(op, *message);
    if (!encoded.ok()) return Error(encoded.status());
    json::array query;
    for (const auto& q : encoded->http.query) {
      query.push_back(json::array{q.key.c_str(), q.value.c_str()});
    }
    return {{"method", encoded->http.method},
            {"path", encoded->http.path},
            {"query", query},
            {"headers", Pairs(encoded->http.headers)},
            {"body", B64(encoded->http.body)},
            {"host_prefix", encoded->host_prefix},
            {"prepared", B64(message->SerializeAsString())}};
  }

  json::value DecodeResponse(const json::object& req, const awsgw::translators::Operation& op,
                             const awsgw::translators::Protocol& protocol) {
    awsgw::http::HttpResponse http;
    http.status = static_cast<int>(req.at("status").to_number<int64_t>());
    http.headers = Headers(req.at("headers"));
    http.body = B64Decode(req.at("body"));
    if (http.status >= 200 && http.status < 300) {
      std::unique_ptr<Message> message = New(op.method, false);
      if (absl::Status s = protocol.DecodeResponse(op, http, message.get()); !s.ok()) {
        return Error(s);
      }
      return {{"message", B64(message->SerializeAsString())}};
    }
    const awsgw::translators::AwsError error = awsgw::translators::ParseAwsError(http);
    std::unique_ptr<Message> modeled =
        awsgw::translators::DecodeModeledError(op, error, http, &factory_);
    const grpc::Status status = awsgw::translators::ToGrpcStatus(op, error, modeled.get());
    json::object out{{"code", error.code},
                     {"message", error.message},
                     {"request_id", error.request_id},
                     {"grpc_code", static_cast<int>(status.error_code())}};
    if (modeled != nullptr) {
      out["modeled"] = B64(modeled->SerializeAsString());
      out["modeled_type"] = modeled->GetDescriptor()->full_name();
    }
    return {{"aws_error", out}};
  }

  json::value Route(const json::object& req) {
    const auto* service = pool_.FindServiceByName(Str(req.at("service")));
    if (service == nullptr) return Error(absl::NotFoundError("no service"));
    awsgw::http::HttpRequest http = Request(req);
    const auto& protocol =
        awsgw::translators::ProtocolFor(service->options().GetExtension(awsgw::service));
    auto method = protocol.Route(service, http);
    if (!method.ok()) return Error(method.status());
    return {{"method", (*method)->full_name()}};
  }

  static awsgw::http::HttpRequest Request(const json::object& req) {
    awsgw::http::HttpRequest http;
    if (req.contains("http_method")) http.method = Str(req.at("http_method"));
    http.path = Str(req.at("path"));
    if (req.contains("query")) {
      for (const json::value& pair : req.at("query").get_array()) {
        http.query.push_back({Str(pair.at(0)), Str(pair.at(1))});
      }
    }
    if (req.contains("headers")) http.headers = Headers(req.at("headers"));
    if (req.contains("body")) http.body = B64Decode(req.at("body"));
    return http;
  }

  json::value DecodeRequest(const json::object& req, const awsgw::translators::Operation& op,
                            const awsgw::translators::Protocol& protocol) {
    awsgw::http::HttpRequest http = Request(req);
    std::unique_ptr<Message> message = New(op.method, true);
    if (absl::Status s = protocol.DecodeRequest(op, http, message.get()); !s.ok()) {
      return Error(s);
    }
    return {{"message", B64(message->SerializeAsString())}};
  }

  json::value EncodeResponse(const json::object& req, const awsgw::translators::Operation& op,
                             const awsgw::translators::Protocol& protocol) {
    std::unique_ptr<Message> message = New(op.method, false);
    if (!message->ParseFromString(B64Decode(req.at("message")))) {
      return Error(absl::InvalidArgumentError("bad message"));
    }
    auto http = protocol.EncodeResponse(op, *message);
    if (!http.ok()) return Error(http.status());
    return {{"status", http->status}, {"headers", Pairs(http->headers)}, {"body", B64(http->body)}};
  }

  DescriptorPool pool_;
  DynamicMessageFactory factory_;
};

}  // namespace

int main() {
  Tool tool;
  std::string line;
  while (std::getline(std::cin, line)) {
    boost::system::error_code ec;
    json::value req = json::parse(line, ec);
    json::value answer = ec || !req.is_object()
                             ? Error(absl::InvalidArgumentError("bad request line"))
                             : tool.Handle(req.get_object());
    std::cout << json::serialize(answer) << std::endl;
  }
  return 0;
}
