// What a service fills in when it creates a resource: id, ARN (in the
// service's real format for the region and account), name, timestamps, a
// plausible status, the service's extra members (URLs, domains), and empty
// values for output members the model marks required. And what changes when
// it is updated or deleted.
//
// The clock and the random source are injected; nothing here reads a global.
#ifndef AWSGW_EMULATOR_RESOURCE_MINTING_H_
#define AWSGW_EMULATOR_RESOURCE_MINTING_H_

#include <functional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "emulator/service_facts.h"
#include "google/protobuf/message.h"

namespace awsgw::emulator {

struct Identity {
  std::string id;
  std::string arn;
  std::string name;
  int revision = 1;
};

// True for an integer field that numbers versions of a resource ("revision",
// "<x>_revision", "version_number", "deployment_number", and AppConfig's
// experiment "run", numbered per experiment definition).
bool IsRevisionField(const google::protobuf::FieldDescriptor* field);

class ResourceMinter {
 public:
  // `random` returns uniformly random 64-bit values.
  ResourceMinter(std::string region, std::string account, std::function<uint64_t()> random);

  // A new identity for revision `revision` of a `kind` resource called
  // `name` (the id when empty) under `parent` (an identifier of the parent,
  // "" for none).
  Identity Mint(const ServiceFacts& facts, absl::string_view service, absl::string_view kind,
                absl::string_view name, absl::string_view parent, int revision);

  // Fills a freshly created resource message, leaving members the request
  // already set alone (except identity, which the service always assigns).
  void StampCreated(const ServiceFacts& facts, absl::string_view kind, const Identity& identity,
                    absl::Time now, google::protobuf::Message* body);

  // A random lowercase UUID (operation ids, request ids).
  std::string Uuid();

  const std::string& region() const { return region_; }
  const std::string& account() const { return account_; }

 private:
  std::string RandomId(IdStyle style);
  std::string RandomChars(absl::string_view alphabet, int count);
  std::string Expand(absl::string_view pattern, absl::string_view service, absl::string_view kind,
                     const Identity& identity, absl::string_view parent);

  std::string region_;
  std::string account_;
  std::function<uint64_t()> random_;
};

// Marks `body` updated at `now` (timestamps named like "update"/"modified").
void StampUpdated(absl::Time now, google::protobuf::Message* body);

// Moves `body`'s status to the first "gone" value its type has (INACTIVE,
// DELETED, DELETING), as services answer a delete.
void StampDeleted(google::protobuf::Message* body);

}  // namespace awsgw::emulator

#endif  // AWSGW_EMULATOR_RESOURCE_MINTING_H_
