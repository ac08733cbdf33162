// Topics through the admin API: create, read (partitions, replicas, dynamic configs), update.

package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

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
