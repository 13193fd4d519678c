// A Java client of the gateway, built from the repository's protos by stock
// toolchains (tools/generate-clients.sh java; Debian's protobuf-compiler,
// grpc-java plugin, libprotobuf-java and libgrpc-java): one call and one
// watch stream against a gateway on its embedded emulator. Prints one line
// per result for tests/e2e/test_language_clients.py to check.
//
//   java -cp ... GatewayClient 127.0.0.1:50051

import awsgw.aws.apprunner.v1.AppRunnerServiceGrpc;
import awsgw.aws.apprunner.v1.CreateServiceRequest;
import awsgw.aws.apprunner.v1.CreateServiceResponse;
import awsgw.aws.apprunner.v1.ImageRepository;
import awsgw.aws.apprunner.v1.ImageRepositoryType;
import awsgw.aws.apprunner.v1.SourceConfiguration;
import awsgw.aws.ecs.v1.CreateClusterRequest;
import awsgw.aws.ecs.v1.CreateClusterResponse;
import awsgw.aws.ecs.v1.EcsServiceGrpc;
import awsgw.aws.ecs.v1.ListClustersRequest;
import awsgw.watch.v1.WatchAppRunnerServiceRequest;
import awsgw.watch.v1.WatchServiceGrpc;
import awsgw.watch.v1.WatchUpdate;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

public final class GatewayClient {
  public static void main(String[] args) throws InterruptedException {
    if (args.length != 1) {
      System.err.println("usage: GatewayClient HOST:PORT");
      System.exit(2);
    }
    ManagedChannel channel = ManagedChannelBuilder.forTarget(args[0]).usePlaintext().build();
    try {
      EcsServiceGrpc.EcsServiceBlockingStub ecs =
          EcsServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
      CreateClusterResponse created =
          ecs.createCluster(CreateClusterRequest.newBuilder().setClusterName("java-client").build());
      System.out.println("created " + created.getCluster().getClusterArn());
      for (String arn : ecs.listClusters(ListClustersRequest.getDefaultInstance()).getClusterArnsList()) {
        System.out.println("cluster " + arn);
      }

      CreateServiceResponse service =
          AppRunnerServiceGrpc.newBlockingStub(channel)
              .withDeadlineAfter(60, TimeUnit.SECONDS)
              .createService(
                  CreateServiceRequest.newBuilder()
                      .setServiceName("java-web")
                      .setSourceConfiguration(
                          SourceConfiguration.newBuilder()
                              .setImageRepository(
                                  ImageRepository.newBuilder()
                                      .setImageIdentifier("public.ecr.aws/nginx/nginx:latest")
                                      .setImageRepositoryType(
                                          ImageRepositoryType.IMAGE_REPOSITORY_TYPE_ECR_PUBLIC)))
                      .build());
      Iterator<WatchUpdate> updates =
          WatchServiceGrpc.newBlockingStub(channel)
              .withDeadlineAfter(60, TimeUnit.SECONDS)
              .watchAppRunnerService(
                  WatchAppRunnerServiceRequest.newBuilder()
                      .setServiceArn(service.getService().getServiceArn())
                      .build());
      while (updates.hasNext()) {
        WatchUpdate update = updates.next();
        System.out.println(
            "update " + update.getSequence() + " " + update.getKind() + " " + update.getStatus()
                + " " + update.getOutcome());
      }
    } finally {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }
}
