return await LossLab.Cli.LossLabCli.InvokeAsync(args);
