// aws-emulator: the AWS services of this build on a loopback port, for tests
// and local demos. Prints one JSON line once it is serving:
//   {"address":"127.0.0.1","port":41234,"region":"us-east-1",
//    "account":"123456789012","access_key_id":"AKIA..."}
// The secret access key is printed only with --print-credentials (it is a
// throwaway key of this process, but output ends up in CI logs).
// Runs until SIGINT or SIGTERM.
#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "emulator/emulator.h"
#include "emulator/http_server.h"
#include "translators/json_writer.h"

namespace {

constexpr char kUsage[] =
    "usage: aws-emulator [--listen 127.0.0.1:0] [--region us-east-1]\n"
    "                    [--account 123456789012] [--print-credentials]\n";

struct Flags {
  std::string listen = "127.0.0.1:0";
  std::string region = "us-east-1";
  std::string account = "123456789012";
  bool print_credentials = false;
};

// Accepts "--name value" and "--name=value".
bool ParseFlags(int argc, char** argv, Flags* flags) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::string value;
    if (const size_t eq = arg.find('='); eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg.resize(eq);
    } else if (arg != "--print-credentials" && arg != "--help" && i + 1 < argc) {
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
  auto emulator = awsgw::emulator::Emulator::Create(options);
  if (!emulator.ok()) {
    std::cerr << "aws-emulator: " << emulator.status() << "\n";
    return 2;
  }
  awsgw::emulator::Emulator* serving = emulator->get();
  auto server = awsgw::emulator::HttpServer::Start(
      server_options, [serving](const awsgw::http::HttpRequest& r) { return serving->Handle(r); });
  if (!server.ok()) {
    std::cerr << "aws-emulator: " << server.status() << "\n";
    return 1;
  }

  std::string line;
  awsgw::translators::JsonWriter w(&line);
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

  int signal = 0;
  sigwait(&stop_signals, &signal);
  (*server)->Stop();
  return 0;
}
