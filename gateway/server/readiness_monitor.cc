#include "gateway/server/readiness_monitor.h"

#include <optional>

namespace awsgw::gateway::server {

ReadinessMonitor::ReadinessMonitor(std::shared_ptr<auth::providers::CredentialsCache> credentials,
                                   std::function<void(bool serving)> set_serving,
                                   absl::Duration period)
    : credentials_(std::move(credentials)),
      set_serving_(std::move(set_serving)),
      period_(period),
      thread_([this] { Run(); }) {}

ReadinessMonitor::~ReadinessMonitor() { Stop(); }

void ReadinessMonitor::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

void ReadinessMonitor::Run() {
  // Shared with the callback, which may run after Stop() returned.
  struct Round {
    absl::Notification answered;
    bool ok = false;
  };
  std::optional<bool> reported;
  while (true) {
    auto round = std::make_shared<Round>();
    credentials_->Get([round](const absl::StatusOr<auth::Credentials>& credentials) {
      round->ok = credentials.ok();
      round->answered.Notify();
    });
    // A fetch is bounded by its providers' timeouts; Stop() need not wait.
    while (!round->answered.WaitForNotificationWithTimeout(absl::Milliseconds(100))) {
      if (stop_.HasBeenNotified()) return;
    }
    if (reported != round->ok) {
      reported = round->ok;
      set_serving_(round->ok);
    }
    if (stop_.WaitForNotificationWithTimeout(period_)) return;
  }
}

}  // namespace awsgw::gateway::server
