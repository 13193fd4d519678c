// aws-emulator: the AWS services of this build on a loopback port, for tests
// and local demos. Prints one JSON line once it is serving:
//   {"address":"127.0.0.1","port":41234,"region":"us-east-1",
//    "account":"123456789012","access_key_id":"AKIA..."}
// The secret access key is printed only with --print-credentials (it is a
// throwaway key of this process, but output ends up in CI logs).
// Runs until SIGINT or SIGTERM; with --snapshot FILE, state is loaded from
// FILE at start (when it exists) and saved there on shutdown, and also every
// --snapshot_interval (e.g. 30s) when one is given. With --credentials_file
// FILE it also accepts the key pairs FILE lists (one "ACCESS_KEY_ID
// SECRET_ACCESS_KEY" per line), so clients of an earlier run (say, before a
// restart from its snapshot) keep working.
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "base/json_writer.h"
#include "emulator/emulator.h"
#include "emulator/http_server.h"
#include "emulator/snapshot.h"

namespace {

constexpr char kUsage[] =
    "usage: aws-emulator [--listen 127.0.0.1:0] [--region us-east-1]\n"
    "                    [--account 123456789012] [--print-credentials]\n"
    "                    [--time_scale 1.0] [--stepped_clock]\n"
    "                    [--snapshot FILE] [--snapshot_interval 0s]\n"
    "                    [--credentials_file FILE]\n"
    "                    [--fault_error_rate 0] [--fault_throttle_rate 0]\n"
    "                    [--fault_reset_rate 0] [--fault_truncate_rate 0]\n"
    "                    [--fault_latency 0ms] [--fault_seed 1]\n";

struct Flags {
  std::string listen = "127.0.0.1:0";
  std::string region = "us-east-1";
  std::string account = "123456789012";
  bool print_credentials = false;
  double time_scale = 1.0;
  bool stepped_clock = false;
  std::string snapshot;
  absl::Duration snapshot_interval = absl::ZeroDuration();  // 0: on shutdown only
  std::string credentials_file;
  awsgw::emulator::FaultOptions faults;
};

bool IsSwitch(const std::string& arg) {
  return arg == "--print-credentials" || arg == "--stepped_clock" || arg == "--help";
}

// A probability flag: a number from 0 to 1.
bool ParseRate(const std::string& value, double* rate) {
  return absl::SimpleAtod(value, rate) && *rate >= 0 && *rate <= 1;
}

// Accepts "--name value" and "--name=value".
bool ParseFlags(int argc, char** argv, Flags* flags) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::string value;
    if (const size_t eq = arg.find('='); eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg.resize(eq);
    } else if (!IsSwitch(arg) && i + 1 < argc) {
      value = argv[++i];
    }
    if (arg == "--listen") {
      flags->listen = value;
    } else if (arg == "--region") {
      flags->region = value;
    } else if (arg == "--account") {
      flags->account = value;
    } else if (arg == "--print-credentials") {
      flags->print_credentials = true;
    } else if (arg == "--stepped_clock") {
      flags->stepped_clock = true;
    } else if (arg == "--time_scale") {
      if (!absl::SimpleAtod(value, &flags->time_scale) || flags->time_scale < 0) return false;
    } else if (arg == "--snapshot") {
      flags->snapshot = value;
    } else if (arg == "--credentials_file") {
      flags->credentials_file = value;
    } else if (arg == "--snapshot_interval") {
      if (!absl::ParseDuration(value, &flags->snapshot_interval) ||
          flags->snapshot_interval < absl::ZeroDuration()) {
        return false;
      }
    } else if (arg == "--fault_error_rate") {
      if (!ParseRate(value, &flags->faults.error_rate)) return false;
    } else if (arg == "--fault_throttle_rate") {
      if (!ParseRate(value, &flags->faults.throttle_rate)) return false;
    } else if (arg == "--fault_reset_rate") {
      if (!ParseRate(value, &flags->faults.reset_rate)) return false;
    } else if (arg == "--fault_truncate_rate") {
      if (!ParseRate(value, &flags->faults.truncate_rate)) return false;
    } else if (arg == "--fault_latency") {
      // "250ms", "1.5s"; a bare number is milliseconds.
      double ms = 0;
      if (absl::SimpleAtod(value, &ms) && ms >= 0) {
        flags->faults.latency = absl::Milliseconds(ms);
      } else if (!absl::ParseDuration(value, &flags->faults.latency) ||
                 flags->faults.latency < absl::ZeroDuration()) {
        return false;
      }
    } else if (arg == "--fault_seed") {
      if (!absl::SimpleAtoi(value, &flags->faults.seed)) return false;
    } else {
      return false;
    }
  }
  return true;
}

// "127.0.0.1:0" or "[::1]:8080" -> address and port.
bool SplitListen(absl::string_view listen, std::string* address, uint16_t* port) {
  const size_t colon = listen.rfind(':');
  if (colon == absl::string_view::npos) return false;
  absl::string_view host = listen.substr(0, colon);
  host = absl::StripPrefix(absl::StripSuffix(host, "]"), "[");
  uint32_t value = 0;
  if (!absl::SimpleAtoi(listen.substr(colon + 1), &value) || value > 65535) return false;
  *address = std::string(host);
  *port = static_cast<uint16_t>(value);
  return true;
}

// The key pairs of a credentials file: "ACCESS_KEY_ID SECRET_ACCESS_KEY" per
// line; blank lines and lines starting with '#' are skipped. False (with
// `error` set) when the file cannot be read or a line is not a pair.
bool ReadCredentialsFile(const std::string& path, std::vector<awsgw::auth::Credentials>* out,
                         std::string* error) {
  std::ifstream in(path);
  if (!in) {
    *error = absl::StrCat("cannot read credentials file ", path);
    return false;
  }
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const absl::string_view text = absl::StripAsciiWhitespace(line);
    if (text.empty() || text.front() == '#') continue;
    std::vector<absl::string_view> parts = absl::StrSplit(text, ' ', absl::SkipEmpty());
    if (parts.size() != 2) {
      *error = absl::StrCat(path, ":", number, ": expected ACCESS_KEY_ID SECRET_ACCESS_KEY");
      return false;
    }
    out->emplace_back(std::string(parts[0]), parts[1]);
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  awsgw::emulator::HttpServerOptions server_options;
  if (!ParseFlags(argc, argv, &flags) ||
      !SplitListen(flags.listen, &server_options.address, &server_options.port)) {
    std::cerr << kUsage;
    return 2;
  }
  // Block the stop signals in every thread; main waits for them below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  awsgw::emulator::EmulatorOptions options;
  options.region = flags.region;
  options.account = flags.account;
  options.time_scale = flags.time_scale;
  options.stepped_clock = flags.stepped_clock;
  options.faults = flags.faults;
  server_options.faults = flags.faults;
  if (!flags.credentials_file.empty()) {
    std::string error;
    if (!ReadCredentialsFile(flags.credentials_file, &options.credentials, &error)) {
      std::cerr << "aws-emulator: " << error << "\n";
      return 2;
    }
  }
  auto emulator = awsgw::emulator::Emulator::Create(options);
  if (!emulator.ok()) {
    std::cerr << "aws-emulator: " << emulator.status() << "\n";
    return 2;
  }
  if (!flags.snapshot.empty()) {
    absl::StatusOr<std::string> saved = awsgw::emulator::ReadSnapshotFile(flags.snapshot);
    if (saved.ok()) {
      if (absl::Status s = (*emulator)->Restore(*saved); !s.ok()) {
        std::cerr << "aws-emulator: cannot load snapshot " << flags.snapshot << ": " << s.message()
                  << "\n";
        return 2;
      }
    } else if (!absl::IsNotFound(saved.status())) {
      std::cerr << "aws-emulator: " << saved.status().message() << "\n";
      return 2;
    }
  }
  awsgw::emulator::Emulator* serving = emulator->get();
  auto server = awsgw::emulator::HttpServer::Start(
      server_options, [serving](const awsgw::http::HttpRequest& r) { return serving->Handle(r); });
  if (!server.ok()) {
    std::cerr << "aws-emulator: " << server.status() << "\n";
    return 1;
  }

  std::string line;
  awsgw::base::JsonWriter w(&line);
  w.BeginObject();
  w.Key("address");
  w.String(server_options.address);
  w.Key("port");
  w.Int((*server)->port());
  w.Key("region");
  w.String(flags.region);
  w.Key("account");
  w.String(flags.account);
  w.Key("access_key_id");
  w.String((*emulator)->default_credentials().access_key_id());
  if (flags.print_credentials) {
    w.Key("secret_access_key");
    w.String(std::string((*emulator)->default_credentials().secret_access_key()));
  }
  w.Key("operations");
  w.Int((*emulator)->registry().operation_count());
  w.EndObject();
  std::cout << line << std::endl;

  auto save = [&]() -> bool {
    if (flags.snapshot.empty()) return true;
    absl::Status saved =
        awsgw::emulator::WriteSnapshotFile(flags.snapshot, (*emulator)->Snapshot());
    if (!saved.ok()) std::cerr << "aws-emulator: " << saved.message() << "\n";
    return saved.ok();
  };
  // Wait for a stop signal, saving the snapshot every interval meanwhile.
  const bool periodic = !flags.snapshot.empty() && flags.snapshot_interval > absl::ZeroDuration();
  const timespec interval = absl::ToTimespec(flags.snapshot_interval);
  while (true) {
    if (!periodic) {
      int signal = 0;
      sigwait(&stop_signals, &signal);
      break;
    }
    if (sigtimedwait(&stop_signals, nullptr, &interval) >= 0) break;
    save();
  }
  (*server)->Stop();
  if (!save()) return 1;
  return 0;
}
