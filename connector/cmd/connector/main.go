// Command connector is the long-running WhatsApp host of the aws runtime
// (an ECS service): it consumes commands from SQS, hosts the sessions and
// publishes their events to EventBridge. SIGTERM stops it gracefully
// within 30 s (ECS's stop timeout). WAGATE_SIM_PORT serves the /api/_sim
// control when WAGATE_ENGINE=sim.
package main

import (
	"os"
	"strconv"

	"github.com/wagate/wagate/connector/awshost"
	"github.com/wagate/wagate/shared/awsrt"
)

func main() {
	ctx, rt, stop := awsrt.Boot("connector")
	defer stop()
	simPort, _ := strconv.Atoi(os.Getenv("WAGATE_SIM_PORT"))
	if err := awshost.Run(ctx, rt, simPort); err != nil {
		awsrt.Exit("connector", err)
	}
}
