using System.Text.Json.Nodes;
using LossLab.Notebooks.Documents;

namespace LossLab.Notebooks.Tests.Documents;

public class CellKernelResolverTests
{
    static JsonObject Meta(string? polyglot, string? dotnet)
    {
        var m = new JsonObject();
        if (polyglot is not null) m["polyglot_notebook"] = new JsonObject { ["kernelName"] = polyglot };
        if (dotnet is not null) m["dotnet_interactive"] = new JsonObject { ["language"] = dotnet };
        return m;
    }

    [Theory]
    [InlineData("#!fsharp\nlet x = 1", "csharp", null, "fsharp")]          // the kernel chooser wins over metadata
    [InlineData("#!c#\nvar x = 1;", "fsharp", null, "csharp")]             // aliases are normalised
    [InlineData("var x = 1;", "fsharp", "csharp", "fsharp")]               // polyglot_notebook beats dotnet_interactive
    [InlineData("var x = 1;", null, "pwsh", "pwsh")]
    [InlineData("var x = 1;", null, "C#", "csharp")]
    [InlineData("var x = 1;", null, null, "csharp")]                        // the notebook default
    [InlineData("#!time\nvar x = 1;", null, null, "csharp")]               // a magic command is not a kernel chooser
    public void A_cells_kernel_is_resolved_as_Polyglot_does(string source, string? polyglot, string? dotnet, string expected)
    {
        var (kernel, _) = CellKernelResolver.Resolve("code", source, Meta(polyglot, dotnet), "csharp");
        Assert.Equal(expected, kernel);
    }

    [Fact]
    public void The_kernel_chooser_line_is_blanked_so_line_numbers_hold()
    {
        var (_, code) = CellKernelResolver.Resolve("code", "#!csharp\nvar x = 1;", null, "csharp");
        Assert.Equal("\nvar x = 1;", code);
    }

    [Fact]
    public void Without_any_metadata_the_default_kernel_is_csharp_and_the_kernelspec_is_consulted()
    {
        Assert.Equal("csharp", IpynbFormat.Parse("""{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 4}""").DefaultKernelName);
        Assert.Equal("fsharp", IpynbFormat.Parse("""{"cells": [], "metadata": {"kernelspec": {"name": ".net-fsharp"}}, "nbformat": 4, "nbformat_minor": 4}""").DefaultKernelName);
        Assert.Equal("pwsh", IpynbFormat.Parse("""{"cells": [], "metadata": {"polyglot_notebook": {"kernelInfo": {"defaultKernelName": "pwsh"}}}, "nbformat": 4, "nbformat_minor": 5}""").DefaultKernelName);
    }
}
