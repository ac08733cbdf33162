// The resource lifecycle the engine calls (Create, Read, Update, Delete, Invoke), by type.

package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/twmb/franz-go/pkg/kerr"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

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
