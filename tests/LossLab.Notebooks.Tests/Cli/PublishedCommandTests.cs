using System.Diagnostics;
using System.Text.Json.Nodes;
using LossLab.Notebooks.Tests.Execution;

namespace LossLab.Notebooks.Tests.Cli;

/// <summary>How <c>./losslab</c> builds the command: a ReadyToRun, framework-dependent publish that runs its precompiled
/// code without tiered recompilation, while <c>dotnet build</c> (the tests' copy) keeps tiering.</summary>
public class PublishedCommandTests
{
    static async Task<JsonObject> Properties(params string[] extra)
    {
        var root = RepositoryNotebooksTests.RepositoryRoot();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        foreach (var a in new[] { "msbuild", Path.Combine("lib", "LossLab.Cli", "LossLab.Cli.csproj"), "-nologo", "-p:Configuration=Release",
                     "-getProperty:PublishReadyToRun", "-getProperty:SelfContained", "-getProperty:TieredCompilation" }.Concat(extra))
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await stderr + await stdout);
        return (JsonObject)JsonNode.Parse(await stdout)!["Properties"]!;
    }

    [Fact]
    public async Task The_published_command_is_ReadyToRun_and_does_not_recompile_while_dotnet_build_keeps_tiering()
    {
        var published = await Properties("-p:_IsPublishing=true");   // what dotnet publish passes
        Assert.Equal("true", (string?)published["PublishReadyToRun"]);
        Assert.Equal("false", (string?)published["SelfContained"]);
        Assert.Equal("false", (string?)published["TieredCompilation"]);

        var built = await Properties();
        Assert.Equal("", (string?)built["TieredCompilation"]);   // the runtime's default: tiered

        // The script publishes for this machine's runtime and runs the published copy.
        var script = File.ReadAllText(Path.Combine(RepositoryNotebooksTests.RepositoryRoot(), "losslab"));
        Assert.Contains("dotnet publish \"$root/lib/LossLab.Cli/LossLab.Cli.csproj\" -c Release --use-current-runtime -o \"$out\"", script, StringComparison.Ordinal);
        Assert.Contains("exec \"$exe\" \"$@\"", script, StringComparison.Ordinal);
    }
}
