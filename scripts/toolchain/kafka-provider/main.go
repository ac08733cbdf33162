// A stand-in for the `kafka` resource plugin, built by scripts/toolchain (parts/kafka.ts).
//
// The release plugin (github.com/pulumi/pulumi-kafka/provider/v3) bridges the Terraform provider
// Mongey/terraform-provider-kafka; neither module is served by the module proxy, so the toolchain
// builds this small native provider instead. It serves the resource types of @pulumi/kafka that this
// project uses, with the same tokens and property names, through Kafka's admin API (franz-go):
//
//	pulumi:providers:kafka     bootstrapServers, tlsEnabled, skipTlsVerify, saslMechanism,
//	                           saslUsername, saslPassword, timeout
//	kafka:index/topic:Topic    name, partitions, replicationFactor, config   (id: the topic name)
//	kafka:index/quota:Quota    entityName, entityType, config                (id: "<name>|<type>")
//
// Not served: Acl, UserScramCredential, getTopic, and TLS client certificates.
package main

import (
	"fmt"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// version is the plugin version reported to the engine; set with -ldflags "-X main.version=...".
var version = "3.13.2"

const (
	topicType = "kafka:index/topic:Topic"
	quotaType = "kafka:index/quota:Quota"
)

func main() {
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterResourceProviderServer(srv, &kafkaProvider{})
			return nil
		},
	})
	if err != nil {
		cmdutil.Exit(err)
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		cmdutil.Exit(err)
	}
}

type settings struct {
	servers   []string
	tls       bool
	skipTLS   bool
	mechanism string
	username  string
	password  string
	timeout   time.Duration
}

type kafkaProvider struct {
	pulumirpc.UnimplementedResourceProviderServer
	mu     sync.Mutex
	cfg    *settings
	client *kadm.Client
}

var (
	inOpts  = plugin.MarshalOptions{KeepUnknowns: true, SkipNulls: true}
	outOpts = plugin.MarshalOptions{KeepUnknowns: true}
)

func unmarshal(s *structpb.Struct) (resource.PropertyMap, error) {
	if s == nil {
		return resource.PropertyMap{}, nil
	}
	return plugin.UnmarshalProperties(s, inOpts)
}

func marshal(m resource.PropertyMap) (*structpb.Struct, error) {
	return plugin.MarshalProperties(m, outOpts)
}
