using System.IO.Compression;
using LossLab.Notebooks.Kernel;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using static LossLab.Notebooks.Tests.NotebookHarness;

namespace LossLab.Notebooks.Tests.Kernel;

/// <summary>
/// <c>#r "nuget: …"</c> for packages LossLab does not ship, restored on demand as .NET Interactive does, and <c>#i "nuget:
/// SOURCE"</c>. The local-feed tests build their packages here (Roslyn-compiled assemblies in hand-made .nupkg files), so the
/// assembly a notebook gets is known: which version and which target framework folder NuGet chose.
/// </summary>
[Collection("Engine")]
public class NuGetReferenceTests
{
    const string Id = "LossLab.TestFeed.Greeter";

    /// <summary>A folder feed with <see cref="Id"/> 1.0.0 and 1.1.0, each with lib/netstandard2.0 and lib/net8.0 assemblies whose
    /// <c>Greeter.Hello()</c> returns the package version and the folder it was taken from.</summary>
    static string MakeFeed(string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var version in new[] { "1.0.0", "1.1.0" })
        {
            using var zip = ZipFile.Open(Path.Combine(folder, $"{Id}.{version}.nupkg"), ZipArchiveMode.Create);
            Write(zip, $"{Id}.nuspec", $"""
                <?xml version="1.0" encoding="utf-8"?>
                <package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
                  <metadata><id>{Id}</id><version>{version}</version><authors>LossLab</authors><description>Test package.</description></metadata>
                </package>
                """);
            Write(zip, "[Content_Types].xml", """<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="nuspec" ContentType="application/octet" /><Default Extension="dll" ContentType="application/octet" /></Types>""");
            foreach (var tfm in new[] { "netstandard2.0", "net8.0" })
            {
                var tree = CSharpSyntaxTree.ParseText($$"""namespace TestFeed { public static class Greeter { public static string Hello() => "{{version}} {{tfm}}"; } }""");
                var compilation = CSharpCompilation.Create(Id, [tree], [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)],
                    new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, deterministic: true));
                using var dll = new MemoryStream();
                Assert.True(compilation.Emit(dll).Success);
                using var entry = zip.CreateEntry($"lib/{tfm}/{Id}.dll").Open();
                entry.Write(dll.ToArray());
            }
        }
        return folder;

        static void Write(ZipArchive zip, string name, string text)
        {
            using var w = new StreamWriter(zip.CreateEntry(name).Open());
            w.Write(text);
        }
    }

    [Fact]
    public async Task A_package_from_a_folder_source_added_with_i_is_restored_at_the_newest_version_for_the_nearest_framework()
    {
        var folder = Scratch();
        MakeFeed(Path.Combine(folder, "feed"));
        var kernel = new CSharpKernel(folder);

        var run = await kernel.RunAsync($"#i \"nuget: feed\"\n#r \"nuget: {Id}\"\nTestFeed.Greeter.Hello()", "cell1.csx", 1);

        Assert.Null(run.Error);
        // no version: the newest (1.1.0); net8.0 is nearer to net10.0 than netstandard2.0
        Assert.Equal($"<div><div></div><div></div><div><strong>Installed Packages</strong><ul><li><span>{Id}, 1.1.0</span></li></ul></div></div>",
            Text(run.Outputs[0], "text/html"));
        Assert.Equal("1.1.0 net8.0", Text(run.Outputs[1]));
    }

    [Fact]
    public async Task A_pinned_version_is_restored_and_a_second_version_in_the_same_session_is_refused()
    {
        var folder = Scratch();
        MakeFeed(Path.Combine(folder, "feed"));
        var kernel = new CSharpKernel(folder);

        var pinned = await kernel.RunAsync($"#i \"nuget: {Path.Combine(folder, "feed")}\"\n#r \"nuget: {Id}, 1.0.0\"\nTestFeed.Greeter.Hello()", "cell1.csx", 1);
        var again = await kernel.RunAsync($"#r \"nuget: {Id}, 1.0.0\"\nTestFeed.Greeter.Hello()", "cell2.csx", 2);
        var other = await kernel.RunAsync($"#r \"nuget: {Id}, 1.1.0\"", "cell3.csx", 3);

        Assert.Null(pinned.Error);
        Assert.Equal("1.0.0 net8.0", Text(pinned.Outputs[^1]));
        Assert.Null(again.Error);
        Assert.Equal("1.0.0 net8.0", Text(Assert.Single(again.Outputs)));   // nothing installed twice
        Assert.Equal("NuGetRestoreError", other.Error!.Name);
        Assert.Contains($"{Id} version 1.0.0 is already loaded", other.Error.Value);
    }

    [Fact]
    public async Task A_package_no_source_has_is_an_error_naming_it_and_quoting_the_sources_answer()
    {
        var name = "LossLab.NoSuchPackage." + Guid.NewGuid().ToString("N")[..8];
        var run = await new CSharpKernel(Scratch()).RunAsync($"var a = 1;\n#r \"nuget: {name}, 1.2.3\"\na", "cell1.csx", 1);

        Assert.Equal("NuGetRestoreError", run.Error!.Name);
        Assert.StartsWith($"#r \"nuget: {name}, 1.2.3\": cannot restore {name} 1.2.3 from the configured NuGet sources: ", run.Error.Value);
        Assert.Contains($"NU1101: Unable to find package {name}", run.Error.Value);
        Assert.StartsWith("cell1.csx(2): ", run.Error.Traceback[0]);
    }

    [Fact]
    public async Task A_package_from_nuget_org_is_restored_with_its_lib_assembly_and_used()
    {
        var kernel = new CSharpKernel(Scratch());

        var run = await kernel.RunAsync("#r \"nuget: Humanizer.Core, 2.14.1\"\nusing Humanizer;\n\"PascalCaseInputStringIsTurnedIntoSentence\".Humanize() + \" / \" + 3.ToWords()", "cell1.csx", 1);

        Assert.Null(run.Error);
        Assert.Contains("<li><span>Humanizer.Core, 2.14.1</span></li>", Text(run.Outputs[0], "text/html"));
        Assert.Equal("Pascal case input string is turned into sentence / three", Text(run.Outputs[1]));   // Humanizer's README examples
        var assembly = Assert.Single(kernel.RestoredPackages["Humanizer.Core"].Assemblies);
        Assert.EndsWith(Path.Combine("humanizer.core", "2.14.1", "lib", "net6.0", "Humanizer.dll"), assembly);   // the nearest of netstandard1.0/2.0 and net6.0
    }
}
