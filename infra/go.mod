module github.com/wagate/wagate/infra

go 1.26.8
