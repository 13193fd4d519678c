// Internal to the watch engine: where a new subscriber goes.
#ifndef AWSGW_GATEWAY_WATCH_ATTACHMENT_H_
#define AWSGW_GATEWAY_WATCH_ATTACHMENT_H_

#include <string>

#include "gateway/watch/watch_engine.h"

namespace awsgw::gateway::watch::internal {

// Where a new subscriber goes: built on the caller's thread, consumed by
// Core::Attach (the poller and tracker keep what they need of it).
struct Attachment {
  WatchTarget target;
  std::string region;
  // identity, region, rpc and poll request: who may share a poller.
  std::string poller_key;
};

}  // namespace awsgw::gateway::watch::internal

#endif  // AWSGW_GATEWAY_WATCH_ATTACHMENT_H_
