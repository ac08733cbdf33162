// A stand-in for the `kafka` resource plugin, built by scripts/toolchain.ts.
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
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"github.com/twmb/franz-go/pkg/sasl/scram"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
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

// ---- provider configuration ----

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

// ---- resources: check and diff ----

func failure(prop, reason string) *pulumirpc.CheckFailure {
	return &pulumirpc.CheckFailure{Property: prop, Reason: reason}
}

func (p *kafkaProvider) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	var failures []*pulumirpc.CheckFailure
	requireString := func(key string) {
		v, ok := news[resource.PropertyKey(key)]
		if !ok || (!v.IsString() && !v.ContainsUnknowns()) {
			failures = append(failures, failure(key, key+" is required and must be a string"))
		}
	}
	requirePositive := func(key string) {
		v, ok := news[resource.PropertyKey(key)]
		if !ok || (!v.ContainsUnknowns() && (!v.IsNumber() || v.NumberValue() < 1)) {
			failures = append(failures, failure(key, key+" is required and must be a number of at least 1"))
		}
	}
	switch req.GetType() {
	case topicType:
		requireString("name")
		requirePositive("partitions")
		requirePositive("replicationFactor")
	case quotaType:
		requireString("entityName")
		requireString("entityType")
		if v := news["entityType"]; v.IsString() {
			switch v.StringValue() {
			case "client-id", "user", "ip":
			default:
				failures = append(failures, failure("entityType", "entityType must be client-id, user or ip"))
			}
		}
	default:
		return nil, fmt.Errorf("unknown resource type %q", req.GetType())
	}
	if v, ok := news["config"]; ok && !v.IsObject() && !v.ContainsUnknowns() {
		failures = append(failures, failure("config", "config must be a map of strings"))
	}
	return &pulumirpc.CheckResponse{Inputs: req.GetNews(), Failures: failures}, nil
}

// diffMaps compares two property maps key by key; keys in replaceKeys force a replacement.
func diffMaps(olds, news *structpb.Struct, replaceKeys map[string]bool) (*pulumirpc.DiffResponse, error) {
	o, err := unmarshal(olds)
	if err != nil {
		return nil, err
	}
	n, err := unmarshal(news)
	if err != nil {
		return nil, err
	}
	keys := map[resource.PropertyKey]bool{}
	for k := range o {
		keys[k] = true
	}
	for k := range n {
		keys[k] = true
	}
	var diffs, replaces []string
	detailed := map[string]*pulumirpc.PropertyDiff{}
	for k := range keys {
		if strings.HasPrefix(string(k), "__") {
			continue
		}
		ov, oOK := o[k]
		nv, nOK := n[k]
		if oOK && nOK && !nv.ContainsUnknowns() && ov.DeepEquals(nv) {
			continue
		}
		diffs = append(diffs, string(k))
		kind := pulumirpc.PropertyDiff_UPDATE
		switch {
		case !oOK:
			kind = pulumirpc.PropertyDiff_ADD
		case !nOK:
			kind = pulumirpc.PropertyDiff_DELETE
		}
		if replaceKeys[string(k)] {
			replaces = append(replaces, string(k))
			kind = map[pulumirpc.PropertyDiff_Kind]pulumirpc.PropertyDiff_Kind{
				pulumirpc.PropertyDiff_ADD:    pulumirpc.PropertyDiff_ADD_REPLACE,
				pulumirpc.PropertyDiff_DELETE: pulumirpc.PropertyDiff_DELETE_REPLACE,
				pulumirpc.PropertyDiff_UPDATE: pulumirpc.PropertyDiff_UPDATE_REPLACE,
			}[kind]
		}
		detailed[string(k)] = &pulumirpc.PropertyDiff{Kind: kind, InputDiff: true}
	}
	sort.Strings(diffs)
	sort.Strings(replaces)
	changes := pulumirpc.DiffResponse_DIFF_NONE
	if len(diffs) > 0 {
		changes = pulumirpc.DiffResponse_DIFF_SOME
	}
	return &pulumirpc.DiffResponse{
		Changes: changes, Diffs: diffs, Replaces: replaces,
		DetailedDiff: detailed, HasDetailedDiff: true,
	}, nil
}

func (p *kafkaProvider) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	replaceKeys := map[string]bool{}
	switch req.GetType() {
	case topicType:
		replaceKeys = map[string]bool{"name": true, "replicationFactor": true}
		// Partitions can only grow in place.
		o, err := unmarshal(req.GetOlds())
		if err != nil {
			return nil, err
		}
		n, err := unmarshal(req.GetNews())
		if err != nil {
			return nil, err
		}
		if o["partitions"].IsNumber() && n["partitions"].IsNumber() &&
			n["partitions"].NumberValue() < o["partitions"].NumberValue() {
			replaceKeys["partitions"] = true
		}
	case quotaType:
		replaceKeys = map[string]bool{"entityName": true, "entityType": true}
	}
	return diffMaps(req.GetOlds(), req.GetNews(), replaceKeys)
}

// ---- topics ----

func stringMap(v resource.PropertyValue) map[string]string {
	out := map[string]string{}
	if !v.IsObject() {
		return out
	}
	for k, e := range v.ObjectValue() {
		switch {
		case e.IsString():
			out[string(k)] = e.StringValue()
		case e.IsNumber():
			out[string(k)] = strconv.FormatFloat(e.NumberValue(), 'f', -1, 64)
		case e.IsBool():
			out[string(k)] = strconv.FormatBool(e.BoolValue())
		}
	}
	return out
}

func stringMapValue(m map[string]string) resource.PropertyValue {
	pm := resource.PropertyMap{}
	for k, v := range m {
		pm[resource.PropertyKey(k)] = resource.NewStringProperty(v)
	}
	return resource.NewObjectProperty(pm)
}

type topicState struct {
	name              string
	partitions        int
	replicationFactor int
	config            map[string]string
}

func topicFrom(pm resource.PropertyMap) topicState {
	return topicState{
		name:              pm["name"].StringValue(),
		partitions:        int(pm["partitions"].NumberValue()),
		replicationFactor: int(pm["replicationFactor"].NumberValue()),
		config:            stringMap(pm["config"]),
	}
}

func (t topicState) properties() resource.PropertyMap {
	return resource.PropertyMap{
		"name":              resource.NewStringProperty(t.name),
		"partitions":        resource.NewNumberProperty(float64(t.partitions)),
		"replicationFactor": resource.NewNumberProperty(float64(t.replicationFactor)),
		"config":            stringMapValue(t.config),
	}
}

func (p *kafkaProvider) createTopic(ctx context.Context, adm *kadm.Client, t topicState) error {
	configs := map[string]*string{}
	for k, v := range t.config {
		configs[k] = &v
	}
	res, err := adm.CreateTopic(ctx, int32(t.partitions), int16(t.replicationFactor), configs, t.name)
	if err != nil {
		return fmt.Errorf("creating topic %s: %w", t.name, err)
	}
	if res.Err != nil {
		return fmt.Errorf("creating topic %s: %w %s", t.name, res.Err, res.ErrMessage)
	}
	return nil
}

// readTopic returns the topic as Kafka has it, or nil when it does not exist.
func readTopic(ctx context.Context, adm *kadm.Client, name string) (*topicState, error) {
	md, err := adm.Metadata(ctx, name)
	if err != nil {
		return nil, err
	}
	detail, ok := md.Topics[name]
	if !ok || errors.Is(detail.Err, kerr.UnknownTopicOrPartition) {
		return nil, nil
	}
	if detail.Err != nil {
		return nil, fmt.Errorf("reading topic %s: %w", name, detail.Err)
	}
	t := &topicState{
		name:              name,
		partitions:        len(detail.Partitions),
		replicationFactor: detail.Partitions.NumReplicas(),
		config:            map[string]string{},
	}
	rcs, err := adm.DescribeTopicConfigs(ctx, name)
	if err != nil {
		return nil, err
	}
	rc, err := rcs.On(name, nil)
	if err != nil {
		return nil, err
	}
	if rc.Err != nil {
		return nil, fmt.Errorf("reading the config of topic %s: %w", name, rc.Err)
	}
	for _, c := range rc.Configs {
		if c.Source == kmsg.ConfigSourceDynamicTopicConfig && c.Value != nil {
			t.config[c.Key] = *c.Value
		}
	}
	return t, nil
}

func (p *kafkaProvider) updateTopic(ctx context.Context, adm *kadm.Client, old, t topicState) error {
	if t.partitions > old.partitions {
		res, err := adm.UpdatePartitions(ctx, t.partitions, t.name)
		if err != nil {
			return err
		}
		if r, err := res.On(t.name, nil); err != nil || r.Err != nil {
			return fmt.Errorf("adding partitions to %s: %v %v", t.name, err, r.Err)
		}
	}
	var alters []kadm.AlterConfig
	for k, v := range t.config {
		if ov, ok := old.config[k]; !ok || ov != v {
			alters = append(alters, kadm.AlterConfig{Op: kadm.SetConfig, Name: k, Value: &v})
		}
	}
	for k := range old.config {
		if _, ok := t.config[k]; !ok {
			alters = append(alters, kadm.AlterConfig{Op: kadm.DeleteConfig, Name: k})
		}
	}
	if len(alters) > 0 {
		res, err := adm.AlterTopicConfigs(ctx, alters, t.name)
		if err != nil {
			return err
		}
		if r, err := res.On(t.name, nil); err != nil || r.Err != nil {
			return fmt.Errorf("changing the config of %s: %v %v %s", t.name, err, r.Err, r.ErrMessage)
		}
	}
	return nil
}

// ---- quotas ----

type quotaState struct {
	entityName string
	entityType string
	config     map[string]string
}

func quotaFrom(pm resource.PropertyMap) quotaState {
	return quotaState{
		entityName: pm["entityName"].StringValue(),
		entityType: pm["entityType"].StringValue(),
		config:     stringMap(pm["config"]),
	}
}

func (q quotaState) id() string { return q.entityName + "|" + q.entityType }

func (q quotaState) properties() resource.PropertyMap {
	return resource.PropertyMap{
		"entityName": resource.NewStringProperty(q.entityName),
		"entityType": resource.NewStringProperty(q.entityType),
		"config":     stringMapValue(q.config),
	}
}

func (q quotaState) entity() kadm.ClientQuotaEntity {
	name := q.entityName
	return kadm.ClientQuotaEntity{{Type: q.entityType, Name: &name}}
}

func alterQuota(ctx context.Context, adm *kadm.Client, old, q quotaState) error {
	var ops []kadm.AlterClientQuotaOp
	for k, v := range q.config {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return fmt.Errorf("quota %s: %s=%q is not a number", q.id(), k, v)
		}
		ops = append(ops, kadm.AlterClientQuotaOp{Key: k, Value: f})
	}
	for k := range old.config {
		if _, ok := q.config[k]; !ok {
			ops = append(ops, kadm.AlterClientQuotaOp{Key: k, Remove: true})
		}
	}
	if len(ops) == 0 {
		return nil
	}
	res, err := adm.AlterClientQuotas(ctx, []kadm.AlterClientQuotaEntry{{Entity: q.entity(), Ops: ops}})
	if err != nil {
		return err
	}
	for _, r := range res {
		if r.Err != nil {
			return fmt.Errorf("quota %s: %w %s", q.id(), r.Err, r.ErrMessage)
		}
	}
	return nil
}

func readQuota(ctx context.Context, adm *kadm.Client, q quotaState) (*quotaState, error) {
	name := q.entityName
	described, err := adm.DescribeClientQuotas(ctx, true, []kadm.DescribeClientQuotaComponent{
		{Type: q.entityType, MatchName: &name, MatchType: 0},
	})
	if err != nil {
		return nil, err
	}
	out := quotaState{entityName: q.entityName, entityType: q.entityType, config: map[string]string{}}
	for _, d := range described {
		for _, v := range d.Values {
			out.config[v.Key] = strconv.FormatFloat(v.Value, 'f', -1, 64)
		}
	}
	if len(out.config) == 0 {
		return nil, nil
	}
	return &out, nil
}

// ---- CRUD ----

func (p *kafkaProvider) Create(ctx context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	news, err := unmarshal(req.GetProperties())
	if err != nil {
		return nil, err
	}
	if req.GetPreview() {
		id := ""
		if req.GetType() == topicType && news["name"].IsString() {
			id = news["name"].StringValue()
		}
		return &pulumirpc.CreateResponse{Id: id, Properties: req.GetProperties()}, nil
	}
	adm, timeout, err := p.admin()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var id string
	var props resource.PropertyMap
	switch req.GetType() {
	case topicType:
		t := topicFrom(news)
		if err := p.createTopic(ctx, adm, t); err != nil {
			return nil, err
		}
		id, props = t.name, t.properties()
	case quotaType:
		q := quotaFrom(news)
		if err := alterQuota(ctx, adm, quotaState{}, q); err != nil {
			return nil, err
		}
		id, props = q.id(), q.properties()
	default:
		return nil, fmt.Errorf("unknown resource type %q", req.GetType())
	}
	out, err := marshal(props)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CreateResponse{Id: id, Properties: out}, nil
}

func (p *kafkaProvider) Read(ctx context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	state, err := unmarshal(req.GetProperties())
	if err != nil {
		return nil, err
	}
	adm, timeout, err := p.admin()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var props resource.PropertyMap
	switch req.GetType() {
	case topicType:
		t, err := readTopic(ctx, adm, req.GetId())
		if err != nil {
			return nil, err
		}
		if t == nil {
			return &pulumirpc.ReadResponse{}, nil
		}
		props = t.properties()
	case quotaType:
		q := quotaFrom(state)
		if q.entityName == "" {
			parts := strings.SplitN(req.GetId(), "|", 2)
			if len(parts) == 2 {
				q.entityName, q.entityType = parts[0], parts[1]
			}
		}
		found, err := readQuota(ctx, adm, q)
		if err != nil {
			return nil, err
		}
		if found == nil {
			return &pulumirpc.ReadResponse{}, nil
		}
		props = found.properties()
	default:
		return nil, fmt.Errorf("unknown resource type %q", req.GetType())
	}
	out, err := marshal(props)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.ReadResponse{Id: req.GetId(), Properties: out, Inputs: out}, nil
}

func (p *kafkaProvider) Update(ctx context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	olds, err := unmarshal(req.GetOlds())
	if err != nil {
		return nil, err
	}
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	if req.GetPreview() {
		return &pulumirpc.UpdateResponse{Properties: req.GetNews()}, nil
	}
	adm, timeout, err := p.admin()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var props resource.PropertyMap
	switch req.GetType() {
	case topicType:
		t := topicFrom(news)
		if err := p.updateTopic(ctx, adm, topicFrom(olds), t); err != nil {
			return nil, err
		}
		props = t.properties()
	case quotaType:
		q := quotaFrom(news)
		if err := alterQuota(ctx, adm, quotaFrom(olds), q); err != nil {
			return nil, err
		}
		props = q.properties()
	default:
		return nil, fmt.Errorf("unknown resource type %q", req.GetType())
	}
	out, err := marshal(props)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.UpdateResponse{Properties: out}, nil
}

func (p *kafkaProvider) Delete(ctx context.Context, req *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	state, err := unmarshal(req.GetProperties())
	if err != nil {
		return nil, err
	}
	adm, timeout, err := p.admin()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	switch req.GetType() {
	case topicType:
		res, err := adm.DeleteTopics(ctx, req.GetId())
		if err != nil {
			return nil, err
		}
		if r, err := res.On(req.GetId(), nil); err == nil && r.Err != nil &&
			!errors.Is(r.Err, kerr.UnknownTopicOrPartition) {
			return nil, fmt.Errorf("deleting topic %s: %w %s", req.GetId(), r.Err, r.ErrMessage)
		}
	case quotaType:
		q := quotaFrom(state)
		if err := alterQuota(ctx, adm, q, quotaState{entityName: q.entityName, entityType: q.entityType}); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("unknown resource type %q", req.GetType())
	}
	return &emptypb.Empty{}, nil
}

func (p *kafkaProvider) Invoke(_ context.Context, req *pulumirpc.InvokeRequest) (*pulumirpc.InvokeResponse, error) {
	return nil, status.Errorf(codes.Unimplemented, "%s is not served by this stand-in kafka plugin", req.GetTok())
}
