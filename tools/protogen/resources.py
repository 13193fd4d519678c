"""The IAM resources of each service: which resource an operation acts on.

The service models say what an operation takes, not which AWS resource it
acts on; IAM's service authorization reference does, as ARN formats such as
`service/${ClusterName}/${ServiceName}`. This table carries those formats for
the services the gateway fronts, as data, so that the caller policy
(auth/policy) can be written in the ARNs users already write IAM policies in.

Each entry is (path template, {label: [request members that may fill it]}).
For one operation the generator keeps, in table order, every entry whose
labels all have a member in the operation's input, and writes it with the
members this operation has:

    service/{cluster=default}/{services}

`{member=default}` is filled with `default` when the request leaves the member
empty (ECS: no cluster means the cluster named "default"). The gateway
authorizes a call on the first template whose members the request sets
(translators/access_resources.h explains how values become ARNs).

More specific entries come first: an operation taking a cluster and a service
acts on the service.
"""

# Request members named like this hold the ARN of the resource acted on
# (tagging); an operation that no entry matches acts on it.
ARN_MEMBERS = ("resourceArn", "ResourceArn")

TABLE = {
    "ecs": [
        # CreateCluster names the cluster it makes (and may list capacity
        # providers, which it does not act on).
        ("cluster/{cluster}", {"cluster": ["clusterName"]}),
        ("task-set/{cluster}/{service}/{taskSet}",
         {"cluster": ["cluster"], "service": ["service"], "taskSet": ["taskSet", "taskSets"]}),
        ("service/{cluster}/{service}",
         {"cluster": ["cluster"], "service": ["services", "service", "serviceName", "serviceArn"]}),
        ("task/{cluster}/{task}", {"cluster": ["cluster"], "task": ["tasks", "task"]}),
        ("container-instance/{cluster}/{containerInstance}",
         {"cluster": ["cluster"],
          "containerInstance": ["containerInstances", "containerInstance",
                                "containerInstanceArn"]}),
        ("task-definition/{taskDefinition}",
         {"taskDefinition": ["taskDefinition", "taskDefinitions", "family",
                             "taskDefinitionArn"]}),
        ("capacity-provider/{capacityProvider}",
         {"capacityProvider": ["capacityProvider", "capacityProviders"]}),
        ("daemon/{daemon}", {"daemon": ["daemonArn"]}),
        ("service-deployment/{deployment}",
         {"deployment": ["serviceDeploymentArn", "serviceDeploymentArns"]}),
        ("service-revision/{revision}", {"revision": ["serviceRevisionArns"]}),
        ("cluster/{cluster}", {"cluster": ["cluster", "clusters", "clusterName", "clusterArn"]}),
    ],
    "apprunner": [
        ("vpcingressconnection/{name}/*",
         {"name": ["VpcIngressConnectionArn", "VpcIngressConnectionName"]}),
        ("service/{name}/*", {"name": ["ServiceArn", "ServiceName"]}),
        ("connection/{name}/*", {"name": ["ConnectionArn", "ConnectionName"]}),
        ("autoscalingconfiguration/{name}/*",
         {"name": ["AutoScalingConfigurationArn", "AutoScalingConfigurationName"]}),
        ("observabilityconfiguration/{name}/*",
         {"name": ["ObservabilityConfigurationArn", "ObservabilityConfigurationName"]}),
        ("vpcconnector/{name}/*", {"name": ["VpcConnectorArn", "VpcConnectorName"]}),
    ],
    "amplify": [
        ("apps/{app}/branches/{branch}/jobs/{job}",
         {"app": ["appId"], "branch": ["branchName"], "job": ["jobId"]}),
        ("apps/{app}/branches/{branch}", {"app": ["appId"], "branch": ["branchName"]}),
        ("apps/{app}/domains/{domain}", {"app": ["appId"], "domain": ["domainName"]}),
        ("apps/{app}/backendenvironments/{environment}",
         {"app": ["appId"], "environment": ["environmentName"]}),
        ("apps/{app}", {"app": ["appId"]}),
        ("webhooks/{webhook}", {"webhook": ["webhookId"]}),
    ],
    "appconfig": [
        ("application/{app}/environment/{environment}/deployment/{deployment}",
         {"app": ["ApplicationId"], "environment": ["EnvironmentId"],
          "deployment": ["DeploymentNumber"]}),
        ("application/{app}/environment/{environment}",
         {"app": ["ApplicationId", "Application", "ApplicationIdentifier"],
          "environment": ["EnvironmentId", "Environment", "EnvironmentIdentifier"]}),
        ("application/{app}/configurationprofile/{profile}",
         {"app": ["ApplicationId", "Application", "ApplicationIdentifier"],
          "profile": ["ConfigurationProfileId", "Configuration",
                      "ConfigurationProfileIdentifier"]}),
        ("application/{app}/experimentdefinition/{experiment}",
         {"app": ["ApplicationIdentifier"], "experiment": ["ExperimentDefinitionIdentifier"]}),
        ("application/{app}",
         {"app": ["ApplicationId", "Application", "ApplicationIdentifier"]}),
        ("deploymentstrategy/{strategy}", {"strategy": ["DeploymentStrategyId"]}),
        ("extensionassociation/{association}", {"association": ["ExtensionAssociationId"]}),
        ("extension/{extension}", {"extension": ["ExtensionIdentifier"]}),
    ],
    "serverlessrepo": [
        ("applications/{app}", {"app": ["ApplicationId", "Name"]}),
    ],
}

# Labels filled with a fixed value when the request leaves them empty.
DEFAULTS = {
    "ecs": {"cluster": "default"},
}


def _label_names(path):
    names, rest = [], path
    while "{" in rest:
        start = rest.index("{")
        end = rest.index("}", start)
        names.append(rest[start + 1:end])
        rest = rest[end + 1:]
    return names


def templates(model_name, input_members, is_identifier):
    """The resource templates of one operation, most specific first.

    input_members: the AWS member names of the operation's input.
    is_identifier(member): whether the member is a string, number or list of
    strings (only those can name a resource).
    """
    present = [m for m in input_members if is_identifier(m)]
    defaults = DEFAULTS.get(model_name, {})
    out = []
    for path, labels in TABLE.get(model_name, []):
        text = path
        usable = True
        for label in _label_names(path):
            member = next((m for m in labels[label] if m in present), None)
            if member is None:
                usable = False
                break
            default = defaults.get(label)
            filled = f"{{{member}={default}}}" if default else f"{{{member}}}"
            text = text.replace(f"{{{label}}}", filled, 1)
        if usable and text not in out:
            out.append(text)
    if not out:
        out.extend(f"{{{m}}}" for m in ARN_MEMBERS if m in present)
    return out
