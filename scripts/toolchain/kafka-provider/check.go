// Check and Diff of topics and quotas: validation, and which changes replace a resource.

package main

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"google.golang.org/protobuf/types/known/structpb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

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
