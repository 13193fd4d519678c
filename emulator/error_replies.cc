#include "emulator/error_replies.h"

#include <memory>
#include <vector>

#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "awsgw/options.pb.h"
#include "emulator/message_copy.h"

namespace awsgw::emulator {
namespace {

constexpr absl::string_view kKindPayload = "type.awsgw.dev/emulator.MissingKind";

// Validation errors AWS services use, for operations whose service has no
// row in the facts table.
constexpr absl::string_view kCommonValidationErrors[] = {
    "ValidationException", "InvalidParameterException", "InvalidRequestException",
    "BadRequestException", "InvalidParameterValueException"};

bool Models(const translators::Operation& op, absl::string_view code) {
  for (const std::string& name : op.info->errors()) {
    if (name == code) return true;
  }
  return false;
}

// The first candidate the operation models, else the first the service
// models for any operation (services answer errors their models list only
// elsewhere, e.g. Amplify's NotFoundException), else `fallback`.
std::string Choose(const translators::Operation& op, const std::vector<std::string>& candidates,
                   absl::string_view fallback) {
  for (const std::string& code : candidates) {
    if (Models(op, code)) return code;
  }
  for (const std::string& code : candidates) {
    if (translators::ModeledErrorType(op, code) != nullptr) return code;
  }
  return std::string(fallback);
}

}  // namespace

translators::AwsError MakeError(std::string code, std::string message, int http_status) {
  translators::AwsError error;
  error.code = std::move(code);
  error.message = std::move(message);
  error.http_status = http_status;
  return error;
}

absl::Status ResourceNotFound(absl::string_view kind, absl::string_view message) {
  absl::Status status = absl::NotFoundError(message);
  status.SetPayload(kKindPayload, absl::Cord(kind));
  return status;
}

std::string MissingKind(const absl::Status& status) {
  auto kind = status.GetPayload(kKindPayload);
  return kind.has_value() ? std::string(*kind) : std::string();
}

translators::AwsError ErrorFor(const translators::Operation& op, const ServiceFacts& facts,
                               absl::string_view kind, const absl::Status& status) {
  translators::AwsError error;
  error.message = std::string(status.message());
  switch (status.code()) {
    case absl::StatusCode::kNotFound: {
      std::vector<std::string> candidates;
      const std::string missing = MissingKind(status);
      if (!missing.empty()) candidates.push_back(absl::StrCat(missing, "NotFoundException"));
      if (!kind.empty()) candidates.push_back(absl::StrCat(kind, "NotFoundException"));
      candidates.insert(candidates.end(), facts.not_found_errors.begin(),
                        facts.not_found_errors.end());
      // Any not-found error the operation models beats an unmodeled one.
      for (const std::string& name : op.info->errors()) {
        if (absl::EndsWith(name, "NotFoundException")) candidates.push_back(name);
      }
      error.code = Choose(op, candidates,
                          facts.not_found_errors.empty() ? "ResourceNotFoundException"
                                                         : facts.not_found_errors.front());
      break;
    }
    case absl::StatusCode::kInvalidArgument: {
      std::vector<std::string> candidates = facts.validation_errors;
      for (absl::string_view code : kCommonValidationErrors) candidates.emplace_back(code);
      error.code = Choose(op, candidates,
                          facts.validation_errors.empty() ? "ValidationException"
                                                          : facts.validation_errors.front());
      break;
    }
    case absl::StatusCode::kAlreadyExists:
      error.code = Choose(op, {facts.duplicate_name_error}, facts.duplicate_name_error);
      break;
    default:
      error.code = "InternalFailure";
      error.http_status = 500;
      break;
  }
  return error;
}

http::HttpResponse EncodeServiceError(const translators::Operation& op,
                                      const translators::AwsError& error,
                                      google::protobuf::MessageFactory& factory) {
  std::unique_ptr<google::protobuf::Message> details;
  if (const auto* type = translators::ModeledErrorType(op, error.code)) {
    details.reset(factory.GetPrototype(type)->New());
    // Modeled errors spell their message member "message" or "Message".
    SetStringField(details.get(), "message", error.message);
  }
  return translators::ProtocolFor(*op.service).EncodeError(op, error, details.get());
}

}  // namespace awsgw::emulator
