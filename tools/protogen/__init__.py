"""Generates the gateway's service protos from AWS service models.

The models are botocore-format JSON (`<models>/<service>/<version>/service-2.json`).
Everything the runtime needs about an operation is written as custom options
(proto/awsgw/options.proto) so that no C++ names an AWS operation.

Modules:
  naming        proto names from AWS names (snake_case fields, prefixed enum values)
  docs          model HTML documentation -> wrapped plain-text comments
  field_numbers the committed lock that keeps field and enum numbers stable
  schema        model -> an intermediate description of messages, enums, rpcs
  emit          that description -> .proto text
  models        finding and loading model files
"""
