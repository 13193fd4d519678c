// How each field of a generated message is bound to the AWS wire, read once
// from the descriptor's (awsgw.*) options and cached.
//
// Every codec in this folder walks messages through these bindings instead of
// looking at options on every call: the wire name of each field, where it is
// bound (body, URI label, query, header, payload, status code), its timestamp
// format, and the pairing of enum fields with their `_raw` string siblings.
//
// Thread-safe: bindings are built on first use and never change afterwards,
// so the returned references stay valid for the life of the process.
#ifndef AWSGW_TRANSLATORS_MESSAGE_BINDING_H_
#define AWSGW_TRANSLATORS_MESSAGE_BINDING_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "awsgw/options.pb.h"
#include "google/protobuf/descriptor.h"

namespace awsgw::translators {

struct FieldBinding {
  const google::protobuf::FieldDescriptor* field = nullptr;
  // The field's (awsgw.member) options (the default instance when absent).
  const MemberInfo* member = nullptr;
  // The AWS member name (what botocore and the model call it).
  std::string member_name;
  // The name on the wire: the JSON key for body members, else the URI label,
  // query key, header name or header prefix.
  std::string wire_name;
  Location location = LOCATION_BODY;
  // For an enum-typed field: its `_raw` string sibling, if the message has one.
  const google::protobuf::FieldDescriptor* raw = nullptr;
};

struct MessageBinding {
  const google::protobuf::Descriptor* descriptor = nullptr;
  const ShapeInfo* shape = nullptr;
  // AWS members in declaration order; raw siblings are not listed here (they
  // travel with their enum field).
  std::vector<FieldBinding> fields;
  // Body members by JSON key, for decoding.
  absl::flat_hash_map<std::string, const FieldBinding*> body_by_wire_name;
  // The member bound to the whole HTTP body, if any.
  const FieldBinding* payload = nullptr;
  bool has_body_members = false;
  bool is_wrapper = false;
  bool is_union = false;

  const FieldBinding* FindByFieldName(absl::string_view name) const;
};

// The binding of `descriptor`, built on first use.
const MessageBinding& BindingFor(const google::protobuf::Descriptor* descriptor);

// Maps between enum numbers and the AWS strings of (awsgw.aws_value).
class EnumStrings {
 public:
  static const EnumStrings& For(const google::protobuf::EnumDescriptor* descriptor);

  // The AWS string of `number`, or nullptr for UNSPECIFIED and unknown numbers.
  const std::string* ToAws(int number) const;
  // The number for an AWS string, or nullptr when this build does not know it.
  const int* FromAws(absl::string_view aws) const;

 private:
  absl::flat_hash_map<int, std::string> to_aws_;
  absl::flat_hash_map<std::string, int> from_aws_;
};

}  // namespace awsgw::translators

#endif  // AWSGW_TRANSLATORS_MESSAGE_BINDING_H_
