package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
)

func TestConnectorService(t *testing.T) {
	s := dev(t)
	devices := s.one(t, "AWS::DynamoDB::Table", "TableName", s.cfg.Names.DeviceTable)
	has(t, s, "AWS::ECS::Cluster", map[string]any{"ClusterName": s.cfg.Names.Connector})
	logs := s.one(t, "AWS::Logs::LogGroup", "LogGroupName", "/ecs/"+s.cfg.Names.Connector)
	if logs.Props["RetentionInDays"] != float64(14) {
		t.Errorf("connector log retention %v days, want 14 in dev", logs.Props["RetentionInDays"])
	}
	has(t, s, "AWS::ECS::TaskDefinition", map[string]any{
		"Family":                  s.cfg.Names.Connector,
		"RequiresCompatibilities": []any{"FARGATE"},
		"NetworkMode":             "awsvpc",
		"Cpu":                     "512", "Memory": "1024",
		"RuntimePlatform": map[string]any{"CpuArchitecture": "ARM64", "OperatingSystemFamily": "LINUX"},
		"TaskRoleArn":     assertions.Match_AnyValue(),
		"ContainerDefinitions": []any{map[string]any{
			"Name":                   connectorContainer,
			"Essential":              true,
			"ReadonlyRootFilesystem": true,
			"StopTimeout":            ConnectorStopTimeoutSeconds,
			"HealthCheck": map[string]any{
				"Command": []any{"CMD", connectorHealthCmd}, "Interval": connectorHealthInterval,
				"Timeout": connectorHealthTimeout, "Retries": connectorHealthRetries, "StartPeriod": connectorHealthStart,
			},
			"MountPoints": []any{map[string]any{"ContainerPath": connectorDataDir, "SourceVolume": "data", "ReadOnly": false}},
			"LogConfiguration": map[string]any{"LogDriver": "awslogs", "Options": assertions.Match_ObjectLike(&map[string]any{
				"awslogs-group": map[string]any{"Ref": logs.ID},
			})},
			"Environment": assertions.Match_ArrayWith(&[]any{
				map[string]any{"Name": "TMPDIR", "Value": connectorDataDir}, // in name order
				map[string]any{"Name": "WAGATE_DATA_DIR", "Value": connectorDataDir},
				map[string]any{"Name": "WAGATE_DEVICE_TABLE", "Value": map[string]any{"Ref": devices.ID}},
				map[string]any{"Name": "WAGATE_ENGINE", "Value": "whatsmeow"},
			}),
		}},
	})
	has(t, s, "AWS::ECS::Service", map[string]any{
		"ServiceName":  s.cfg.Names.Connector,
		"LaunchType":   "FARGATE",
		"DesiredCount": DefaultConnectorDesired,
		"DeploymentConfiguration": map[string]any{
			"MinimumHealthyPercent": 0, "MaximumPercent": 100,
			"DeploymentCircuitBreaker": map[string]any{"Enable": true, "Rollback": true},
		},
		"NetworkConfiguration": map[string]any{"AwsvpcConfiguration": map[string]any{"AssignPublicIp": "DISABLED"}},
	})
	has(t, s, "AWS::ApplicationAutoScaling::ScalableTarget", map[string]any{
		"MinCapacity": DefaultConnectorDesired, "MaxCapacity": DefaultConnectorMax, "ScalableDimension": "ecs:service:DesiredCount",
	})
	has(t, s, "AWS::ApplicationAutoScaling::ScalingPolicy", map[string]any{
		"PolicyType": "TargetTrackingScaling",
		"TargetTrackingScalingPolicyConfiguration": map[string]any{
			"TargetValue":                   ConnectorScaleCPU,
			"PredefinedMetricSpecification": map[string]any{"PredefinedMetricType": "ECSServiceAverageCPUUtilization"},
		},
	})
	// The image is a Docker asset built from connector/Dockerfile for arm64.
	image := s.resources("AWS::ECS::TaskDefinition")[0].Props["ContainerDefinitions"].([]any)[0].(map[string]any)["Image"]
	if _, lit := refs(image); !strings.Contains(strings.Join(lit, ""), "container-assets") {
		t.Errorf("image %v is not the CDK asset", image)
	}
	t.Run("Scaling", func(t *testing.T) {
		big := synth(t, "big", func(c *Config) {
			c.ConnectorDesired, c.ConnectorMax, c.ConnectorCPU, c.ConnectorMemoryMiB = 2, 4, 1024, 2048
		})
		has(t, big, "AWS::ECS::Service", map[string]any{"DesiredCount": 2})
		has(t, big, "AWS::ApplicationAutoScaling::ScalableTarget", map[string]any{"MinCapacity": 2, "MaxCapacity": 4})
		has(t, big, "AWS::ECS::TaskDefinition", map[string]any{"Cpu": "1024", "Memory": "2048"})
	})
}

// TestDockerfile checks the connector image's recipe: multi-stage, a
// static binary, a minimal non-root final image, the health check binary.
func TestDockerfile(t *testing.T) {
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(root, connectorDockerfile))
	if err != nil {
		t.Fatal(err)
	}
	df := string(b)
	var images []string
	for _, line := range strings.Split(df, "\n") {
		f := strings.Fields(line)
		if len(f) < 2 || f[0] != "FROM" {
			continue
		}
		for _, w := range f[1:] {
			if !strings.HasPrefix(w, "--") {
				images = append(images, w)
				break
			}
		}
	}
	if len(images) < 2 {
		t.Fatalf("images %v, want a multi-stage build", images)
	}
	if final := images[len(images)-1]; !strings.HasPrefix(final, "gcr.io/distroless/static") {
		t.Errorf("final image %q, want distroless static", final)
	}
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", "./connector/cmd/connector ", "./connector/cmd/connector-health", `ENTRYPOINT ["/connector"]`} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	user := regexp.MustCompile(`(?m)^USER\s+(\S+)`).FindAllStringSubmatch(df, -1)
	if len(user) == 0 || strings.HasPrefix(user[len(user)-1][1], "0") || strings.HasPrefix(user[len(user)-1][1], "root") {
		t.Errorf("USER %v: the container must not run as root", user)
	}
	ign, err := os.ReadFile(filepath.Join(root, ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"*\n", "!connector/", "!shared/", "!events/", "!go.work\n"} {
		if !strings.Contains(string(ign), want) {
			t.Errorf(".dockerignore lacks %q (the context must be the modules only)", want)
		}
	}
}

// TestDockerContext checks that the connector's Docker build context, as
// the CDK app stages it (after .dockerignore), holds everything the
// Dockerfile's go build needs: every package of both binaries resolves,
// with its embedded files and module checksums, for linux/arm64.
func TestDockerContext(t *testing.T) {
	dev(t)
	found, _ := filepath.Glob(filepath.Join(outRoot, "dev-*", "asset.*", connectorDockerfile))
	if len(found) != 1 {
		t.Fatalf("staged Docker contexts %v, want 1", found)
	}
	dir := filepath.Dir(filepath.Dir(found[0]))
	for _, unwanted := range []string{"infra/api.go", "functions/api", "_tools", "cdk.out", ".git", "connector/e2e"} {
		if _, err := os.Stat(filepath.Join(dir, unwanted)); err == nil {
			t.Errorf("the Docker context holds %s", unwanted)
		}
	}
	cmd := exec.Command("go", "list", "-deps", "-e", "-f", "{{if or .Error .DepsErrors}}{{.ImportPath}}: {{.Error}} {{.DepsErrors}}{{end}}",
		"./connector/cmd/connector", "./connector/cmd/connector-health")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0", "GOFLAGS=-mod=readonly", "GOWORK=")
	out, err := cmd.CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "" {
		t.Fatalf("go list in the Docker context %s: %v\n%s", dir, err, out)
	}
}
