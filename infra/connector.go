package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapplicationautoscaling"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecrassets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// Connector container settings (the image: connector/Dockerfile).
const (
	connectorDockerfile = "connector/Dockerfile"
	connectorContainer  = "connector"
	// connectorDataDir is a task volume for temporary files
	// (WAGATE_DATA_DIR, TMPDIR): the root file system is read-only. The
	// whatsmeow engine keeps no state there.
	connectorDataDir = "/data"
	// connectorHealthCmd checks, with the task's own credentials and
	// network path, that the table, queue, bus and bucket answer
	// (connector/cmd/connector-health, in the image beside the connector).
	connectorHealthCmd = "/connector-health"
	// Health check timing: generous, because a replaced task reconnects
	// every session; ~5 minutes of failures make the task unhealthy.
	connectorHealthInterval = 60
	connectorHealthTimeout  = 10
	connectorHealthRetries  = 5
	connectorHealthStart    = 60
	// connectorScaleCooldown keeps the autoscaling from flapping.
	connectorScaleCooldown = 300
)

// Connector is the long-running WhatsApp host: an ECS cluster with one
// Fargate service on Graviton (arm64).
type Connector struct {
	Cluster awsecs.Cluster
	Service awsecs.FargateService
	Task    awsecs.FargateTaskDefinition
	Logs    awslogs.LogGroup
}

// NewConnector creates the cluster, the task definition (image built from
// connector/Dockerfile at deploy time, never at synth), the service and
// its autoscaling.
func NewConnector(scope constructs.Construct, c Config, n *Network, d *Data, bus awsevents.EventBus) *Connector {
	s := constructs.NewConstruct(scope, jsii.String("Connector"))
	k := &Connector{}
	k.Cluster = awsecs.NewCluster(s, jsii.String("Cluster"), &awsecs.ClusterProps{
		ClusterName: jsii.String(c.Names.Connector),
		Vpc:         n.VPC,
	})
	k.Logs = awslogs.NewLogGroup(s, jsii.String("Logs"), &awslogs.LogGroupProps{
		LogGroupName:  jsii.String("/ecs/" + c.Names.Connector),
		Retention:     c.LogRetention,
		RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
	})
	taskRole := awsiam.NewRole(s, jsii.String("TaskRole"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("ecs-tasks.amazonaws.com"), nil),
		Description: jsii.String("wagate connector task: least privilege, see docs/deploy.md"),
	})
	grantConnector(taskRole, d, bus.EventBusArn())

	const dataVolume = "data"
	k.Task = awsecs.NewFargateTaskDefinition(s, jsii.String("Task"), &awsecs.FargateTaskDefinitionProps{
		Family:         jsii.String(c.Names.Connector),
		Cpu:            jsii.Number(c.ConnectorCPU),
		MemoryLimitMiB: jsii.Number(c.ConnectorMemoryMiB),
		RuntimePlatform: &awsecs.RuntimePlatform{
			CpuArchitecture:       awsecs.CpuArchitecture_ARM64(),
			OperatingSystemFamily: awsecs.OperatingSystemFamily_LINUX(),
		},
		TaskRole: taskRole,
		Volumes:  &[]*awsecs.Volume{{Name: jsii.String(dataVolume)}},
	})
	env := runtimeEnv(c, d, bus)
	// The whatsmeow engine keeps every session's credentials in the device
	// table, so any task can take any session over. The root file system
	// is read-only: temporary files go to the data volume.
	env["WAGATE_ENGINE"], env["WAGATE_DEVICE_TABLE"] = "whatsmeow", *d.DeviceTable.TableName()
	env["WAGATE_DATA_DIR"], env["TMPDIR"] = connectorDataDir, connectorDataDir
	container := k.Task.AddContainer(jsii.String("Container"), &awsecs.ContainerDefinitionOptions{
		ContainerName: jsii.String(connectorContainer),
		Image: awsecs.ContainerImage_FromAsset(jsii.String(c.RepoRoot), &awsecs.AssetImageProps{
			File:     jsii.String(connectorDockerfile),
			Platform: awsecrassets.Platform_LINUX_ARM64(),
		}),
		Essential:              jsii.Bool(true),
		Environment:            envMap(env),
		ReadonlyRootFilesystem: jsii.Bool(true),
		StopTimeout:            awscdk.Duration_Seconds(jsii.Number(ConnectorStopTimeoutSeconds)),
		HealthCheck: &awsecs.HealthCheck{
			Command:     jsii.Strings("CMD", connectorHealthCmd),
			Interval:    awscdk.Duration_Seconds(jsii.Number(connectorHealthInterval)),
			Timeout:     awscdk.Duration_Seconds(jsii.Number(connectorHealthTimeout)),
			Retries:     jsii.Number(connectorHealthRetries),
			StartPeriod: awscdk.Duration_Seconds(jsii.Number(connectorHealthStart)),
		},
		Logging: awsecs.LogDriver_AwsLogs(&awsecs.AwsLogDriverProps{
			StreamPrefix: jsii.String(connectorContainer),
			LogGroup:     k.Logs,
			Mode:         awsecs.AwsLogDriverMode_NON_BLOCKING,
		}),
	})
	container.AddMountPoints(&awsecs.MountPoint{
		SourceVolume: jsii.String(dataVolume), ContainerPath: jsii.String(connectorDataDir), ReadOnly: jsii.Bool(false),
	})

	k.Service = awsecs.NewFargateService(s, jsii.String("Service"), &awsecs.FargateServiceProps{
		ServiceName:    jsii.String(c.Names.Connector),
		Cluster:        k.Cluster,
		TaskDefinition: k.Task,
		DesiredCount:   jsii.Number(c.ConnectorDesired),
		// A deployment stops the old task before it starts the new one:
		// two tasks must never host the same WhatsApp device at once.
		MinHealthyPercent: jsii.Number(0),
		MaxHealthyPercent: jsii.Number(100),
		CircuitBreaker:    &awsecs.DeploymentCircuitBreaker{Enable: jsii.Bool(true), Rollback: jsii.Bool(true)},
		VpcSubnets:        n.PrivateSubnets(),
		SecurityGroups:    &[]awsec2.ISecurityGroup{n.ConnectorSG},
		AssignPublicIp:    jsii.Bool(false),
		PlatformVersion:   awsecs.FargatePlatformVersion_LATEST,
	})
	scaling := k.Service.AutoScaleTaskCount(&awsapplicationautoscaling.EnableScalingProps{
		MinCapacity: jsii.Number(c.ConnectorDesired), MaxCapacity: jsii.Number(c.ConnectorMax),
	})
	scaling.ScaleOnCpuUtilization(jsii.String("Cpu"), &awsecs.CpuUtilizationScalingProps{
		TargetUtilizationPercent: jsii.Number(ConnectorScaleCPU),
		ScaleInCooldown:          awscdk.Duration_Seconds(jsii.Number(connectorScaleCooldown)),
		ScaleOutCooldown:         awscdk.Duration_Seconds(jsii.Number(connectorScaleCooldown)),
	})
	return k
}
