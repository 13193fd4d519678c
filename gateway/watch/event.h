// One entry of a resource's event feed, as the watch engine orders and
// delivers it. A header of its own so that code which only remembers what
// was delivered (resume tokens) needs no watch protos.
#ifndef AWSGW_GATEWAY_WATCH_EVENT_H_
#define AWSGW_GATEWAY_WATCH_EVENT_H_

#include <cstdint>
#include <memory>
#include <string>

#include "google/protobuf/message.h"

namespace awsgw::gateway::watch {

// Events order by order_nanos alone: events that share a timestamp (AWS
// writes several at one instant) keep the order in which they happened, which
// the feed's listing gives (ExtractEvents), never the order of their ids.
struct Event {
  int64_t order_nanos = 0;
  uint64_t id = 0;
  std::shared_ptr<const google::protobuf::Message> message;
  std::string summary;

  bool operator<(const Event& other) const { return order_nanos < other.order_nanos; }
};

}  // namespace awsgw::gateway::watch

#endif  // AWSGW_GATEWAY_WATCH_EVENT_H_
