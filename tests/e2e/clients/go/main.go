// A Go client of the gateway, built from the repository's protos by stock
// toolchains (tools/generate-clients.sh go; Debian's protoc-gen-go,
// protoc-gen-go-grpc and grpc-go): one call and one watch stream against a
// gateway on its embedded emulator. Prints one line per result for
// tests/e2e/test_language_clients.py to check.
//
//	go run main.go 127.0.0.1:50051
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"

	apprunnerv1 "aws-grpc-gateway/gen/go/aws/apprunner/v1"
	ecsv1 "aws-grpc-gateway/gen/go/aws/ecs/v1"
	watchv1 "aws-grpc-gateway/gen/go/awsgw/watch/v1"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: client HOST:PORT")
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	conn, err := grpc.DialContext(ctx, os.Args[1], grpc.WithInsecure(), grpc.WithBlock())
	check(err)
	defer conn.Close()

	ecs := ecsv1.NewEcsServiceClient(conn)
	created, err := ecs.CreateCluster(ctx, &ecsv1.CreateClusterRequest{ClusterName: proto.String("go-client")})
	check(err)
	fmt.Println("created", created.GetCluster().GetClusterArn())
	listed, err := ecs.ListClusters(ctx, &ecsv1.ListClustersRequest{})
	check(err)
	for _, arn := range listed.GetClusterArns() {
		fmt.Println("cluster", arn)
	}

	service, err := apprunnerv1.NewAppRunnerServiceClient(conn).CreateService(ctx,
		&apprunnerv1.CreateServiceRequest{
			ServiceName: proto.String("go-web"),
			SourceConfiguration: &apprunnerv1.SourceConfiguration{
				ImageRepository: &apprunnerv1.ImageRepository{
					// Optional members (proto3 `optional`) are pointers in Go.
					ImageIdentifier:     proto.String("public.ecr.aws/nginx/nginx:latest"),
					ImageRepositoryType: apprunnerv1.ImageRepositoryType_IMAGE_REPOSITORY_TYPE_ECR_PUBLIC.Enum(),
				},
			},
		})
	check(err)
	stream, err := watchv1.NewWatchServiceClient(conn).WatchAppRunnerService(ctx,
		&watchv1.WatchAppRunnerServiceRequest{ServiceArn: service.GetService().GetServiceArn()})
	check(err)
	for {
		update, err := stream.Recv()
		if err == io.EOF {
			break
		}
		check(err)
		fmt.Println("update", update.GetSequence(), update.GetKind(), update.GetStatus(),
			update.GetOutcome())
	}
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}
