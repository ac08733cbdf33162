// Client quotas through the admin API: set, remove and read the values of one entity.

package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/twmb/franz-go/pkg/kadm"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

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
