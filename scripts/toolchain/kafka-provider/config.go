// Provider configuration: what Configure receives, and the admin client built from it.

package main

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"github.com/twmb/franz-go/pkg/sasl/scram"
	"google.golang.org/protobuf/types/known/emptypb"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// rawConfig turns provider config into plain Go values. Values may arrive JSON-encoded as strings
// (older SDKs send every non-string provider input that way), so strings that parse as JSON arrays
// or booleans are decoded.
func rawConfig(req *pulumirpc.ConfigureRequest) (map[string]interface{}, error) {
	out := map[string]interface{}{}
	if req.GetArgs() != nil {
		pm, err := unmarshal(req.GetArgs())
		if err != nil {
			return nil, err
		}
		for k, v := range pm.Mappable() {
			out[k] = v
		}
		return out, nil
	}
	for k, v := range req.GetVariables() {
		name := k[strings.LastIndex(k, ":")+1:]
		out[name] = v
	}
	return out, nil
}

func configString(m map[string]interface{}, key, envDefault string) string {
	if v, ok := m[key].(string); ok {
		return v
	}
	return envDefault
}

func configBool(m map[string]interface{}, key string, def bool) bool {
	switch v := m[key].(type) {
	case bool:
		return v
	case string:
		if b, err := strconv.ParseBool(v); err == nil {
			return b
		}
	}
	return def
}

func configStrings(m map[string]interface{}, key string) []string {
	var out []string
	switch v := m[key].(type) {
	case []interface{}:
		for _, s := range v {
			if str, ok := s.(string); ok {
				out = append(out, str)
			}
		}
	case string:
		if err := json.Unmarshal([]byte(v), &out); err != nil {
			out = strings.Split(v, ",")
		}
	}
	return out
}

func (p *kafkaProvider) Configure(
	_ context.Context, req *pulumirpc.ConfigureRequest,
) (*pulumirpc.ConfigureResponse, error) {
	m, err := rawConfig(req)
	if err != nil {
		return nil, err
	}
	s := &settings{
		servers:   configStrings(m, "bootstrapServers"),
		tls:       configBool(m, "tlsEnabled", true),
		skipTLS:   configBool(m, "skipTlsVerify", false),
		mechanism: strings.ToLower(configString(m, "saslMechanism", "plain")),
		username:  configString(m, "saslUsername", ""),
		password:  configString(m, "saslPassword", ""),
		timeout:   120 * time.Second,
	}
	switch t := m["timeout"].(type) {
	case float64:
		s.timeout = time.Duration(t) * time.Second
	case string:
		if n, err := strconv.Atoi(t); err == nil {
			s.timeout = time.Duration(n) * time.Second
		}
	}
	p.mu.Lock()
	p.cfg, p.client = s, nil
	p.mu.Unlock()
	return &pulumirpc.ConfigureResponse{AcceptSecrets: true, SupportsPreview: true}, nil
}

func (p *kafkaProvider) admin() (*kadm.Client, time.Duration, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cfg == nil || len(p.cfg.servers) == 0 {
		return nil, 0, errors.New("kafka provider: bootstrapServers is not configured")
	}
	if p.client != nil {
		return p.client, p.cfg.timeout, nil
	}
	opts := []kgo.Opt{kgo.SeedBrokers(p.cfg.servers...)}
	if p.cfg.tls {
		dialer := &tls.Dialer{
			NetDialer: &net.Dialer{Timeout: 10 * time.Second},
			Config:    &tls.Config{InsecureSkipVerify: p.cfg.skipTLS}, //nolint:gosec // asked for by skipTlsVerify
		}
		opts = append(opts, kgo.Dialer(dialer.DialContext))
	}
	if p.cfg.username != "" {
		switch p.cfg.mechanism {
		case "plain":
			opts = append(opts, kgo.SASL(plain.Auth{User: p.cfg.username, Pass: p.cfg.password}.AsMechanism()))
		case "scram-sha256":
			opts = append(opts, kgo.SASL(scram.Auth{User: p.cfg.username, Pass: p.cfg.password}.AsSha256Mechanism()))
		case "scram-sha512":
			opts = append(opts, kgo.SASL(scram.Auth{User: p.cfg.username, Pass: p.cfg.password}.AsSha512Mechanism()))
		default:
			return nil, 0, fmt.Errorf("kafka provider: saslMechanism %q is not supported here", p.cfg.mechanism)
		}
	}
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		return nil, 0, err
	}
	p.client = kadm.NewClient(cl)
	return p.client, p.cfg.timeout, nil
}

func (p *kafkaProvider) CheckConfig(
	_ context.Context, req *pulumirpc.CheckRequest,
) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

func (p *kafkaProvider) DiffConfig(
	_ context.Context, req *pulumirpc.DiffRequest,
) (*pulumirpc.DiffResponse, error) {
	return diffMaps(req.GetOldInputs(), req.GetNews(), nil)
}

func (p *kafkaProvider) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

func (p *kafkaProvider) GetSchema(
	context.Context, *pulumirpc.GetSchemaRequest,
) (*pulumirpc.GetSchemaResponse, error) {
	return &pulumirpc.GetSchemaResponse{Schema: fmt.Sprintf(`{"name":"kafka","version":%q}`, version)}, nil
}

func (p *kafkaProvider) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}
