// The idle-connection sweep timer.
#include "http/client/idle_sweeper.h"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>

#include "http/client/client_state.h"

namespace awsgw::http::client {

IdleSweeper::IdleSweeper(boost::asio::io_context& io, std::weak_ptr<ClientState> state,
                         absl::Duration interval)
    : strand_(boost::asio::make_strand(io)),
      timer_(strand_),
      state_(std::move(state)),
      interval_(interval) {}

void IdleSweeper::Start() {
  boost::asio::post(strand_, [self = shared_from_this()] { self->Arm(); });
}

void IdleSweeper::Stop() {
  boost::asio::post(strand_, [self = shared_from_this()] {
    self->stopped_ = true;
    self->timer_.cancel();
  });
}

void IdleSweeper::Arm() {
  if (stopped_) return;
  timer_.expires_after(absl::ToChronoNanoseconds(interval_));
  timer_.async_wait(boost::asio::bind_executor(
      strand_, [self = shared_from_this()](const boost::system::error_code& ec) {
        if (ec || self->stopped_) return;
        if (std::shared_ptr<ClientState> state = self->state_.lock()) state->CloseIdle();
        self->Arm();
      }));
}

}  // namespace awsgw::http::client
