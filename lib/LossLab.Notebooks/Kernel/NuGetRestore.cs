using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace LossLab.Notebooks.Kernel;

/// <summary>A package restored for a notebook: the version NuGet chose and the assemblies to reference (the package's and
/// its dependencies' runtime assemblies for this framework, less those the process already has).</summary>
public sealed record RestoredPackage(string Name, string Version, IReadOnlyList<string> Assemblies);

/// <summary>A <c>#r "nuget: …"</c> the configured sources could not satisfy; the message names the package, the sources and
/// what they answered.</summary>
public sealed class NuGetRestoreException(string message) : Exception(message);

/// <summary>
/// Restores NuGet packages on demand, as .NET Interactive does for <c>#r "nuget: Name, Version"</c> (no version: the newest
/// stable one; <c>*-*</c>: the newest including prereleases): a generated project that references the package is restored
/// with <c>dotnet restore</c> against the machine's NuGet configuration plus the sources a notebook added with
/// <c>#i "nuget: SOURCE"</c>, into the machine's NuGet package cache. NuGet picks the package's lib assets for net10.0 or the
/// nearest compatible framework, and resolves the dependencies; <c>project.assets.json</c> lists the runtime assemblies,
/// which the kernel references. Assemblies the engine ships beside itself (FSharp.Core, TorchSharp, …) or that the shared
/// framework carries are reused, so types stay identical. The generated projects live under <see cref="CacheRoot"/>
/// (<c>LOSSLAB_NUGET_CACHE</c>, else the user's local application data folder), keyed by package, version and sources;
/// an exact version restored once is not restored again. One session holds one version of a package: asking for another
/// is an error, as in .NET Interactive.
/// </summary>
public sealed class NuGetRestore
{
    /// <summary>Environment variable naming the folder of the generated restore projects.</summary>
    public const string CacheVariable = "LOSSLAB_NUGET_CACHE";

    readonly List<string> sources = [];
    readonly Dictionary<string, RestoredPackage> restored = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates a restorer whose generated projects go under <paramref name="cacheRoot"/> (default: see the class summary).</summary>
    public NuGetRestore(string? cacheRoot = null)
    {
        CacheRoot = Path.GetFullPath(cacheRoot
            ?? (Environment.GetEnvironmentVariable(CacheVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "losslab", "nuget")));
    }

    /// <summary>Where the generated restore projects live.</summary>
    public string CacheRoot { get; }

    /// <summary>How long one restore may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The sources added with <c>#i</c>, in order (URLs as given, folders as full paths).</summary>
    public IReadOnlyList<string> Sources => sources;

    /// <summary>The packages restored so far, by name.</summary>
    public IReadOnlyDictionary<string, RestoredPackage> Restored => restored;

    /// <summary>Adds a package source for later restores: a URL, or a folder (relative to <paramref name="workingDirectory"/>).</summary>
    public void AddSource(string source, string workingDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        source = source.Trim();
        var full = Uri.TryCreate(source, UriKind.Absolute, out var uri) && !uri.IsFile ? source : Path.GetFullPath(Path.Combine(workingDirectory, source));
        if (!sources.Contains(full, StringComparer.Ordinal)) sources.Add(full);
    }

    /// <summary>Restores <paramref name="name"/> at <paramref name="version"/> (null or empty: the newest stable version) and
    /// returns what to reference; a package already restored in this session at that version is returned as it is.</summary>
    public async Task<RestoredPackage> RestoreAsync(string name, string? version, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        name = name.Trim();
        var wanted = string.IsNullOrWhiteSpace(version) ? null : version.Trim();
        if (restored.TryGetValue(name, out var existing))
        {
            if (wanted is null || wanted == existing.Version || wanted.Contains('*')) return existing;
            throw new NuGetRestoreException($"{existing.Name} version {existing.Version} is already loaded in this session; " +
                                            $"version {wanted} cannot be loaded too (restart the kernel to change versions).");
        }
        var spec = wanted ?? "*";
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{name.ToLowerInvariant()}\n{spec}\n{string.Join("\n", sources)}")))[..16];
        var folder = Path.Combine(CacheRoot, "restore", $"{Safe(name)}-{Safe(spec)}-{key}");
        var assets = Path.Combine(folder, "obj", "project.assets.json");
        bool floating = spec.Contains('*') || spec.StartsWith('[') || spec.StartsWith('(');
        if (floating || !File.Exists(assets))
        {
            Directory.CreateDirectory(folder);
            WriteProject(folder, name, spec);
            await RunRestore(folder, name, wanted, cancellationToken).ConfigureAwait(false);
        }
        var package = ReadAssets(assets, name);
        restored[name] = package;
        return package;
    }

    static string Safe(string text) => new(text.Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' ? char.ToLowerInvariant(c) : '_').ToArray());

    void WriteProject(string folder, string name, string spec)
    {
        // Empty Directory.* files stop MSBuild from importing those of a repository the cache may sit in.
        File.WriteAllText(Path.Combine(folder, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(folder, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(folder, "Directory.Packages.props"), "<Project />\n");
        var extra = string.Join(";", sources.Select(System.Security.SecurityElement.Escape));
        File.WriteAllText(Path.Combine(folder, "restore.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net{Environment.Version.Major}.0</TargetFramework>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                <RestoreAdditionalProjectSources>{extra}</RestoreAdditionalProjectSources>
                <NoWarn>$(NoWarn);NU1603;NU1701;NU1902;NU1903;NU1904</NoWarn>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="{System.Security.SecurityElement.Escape(name)}" Version="{System.Security.SecurityElement.Escape(spec)}" />
              </ItemGroup>
            </Project>
            """);
    }

    async Task RunRestore(string folder, string name, string? version, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = folder,
        };
        foreach (var a in new[] { "restore", "restore.csproj", "-nologo", "-v", "q", "-nodeReuse:false" }) info.ArgumentList.Add(a);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        var output = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        try { process.Start(); }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new NuGetRestoreException($"cannot restore {Describe(name, version)}: the dotnet command could not be started ({e.Message}).");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Timeout);
        try { await process.WaitForExitAsync(limit.Token).ConfigureAwait(false); }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            cancellationToken.ThrowIfCancellationRequested();
            throw new NuGetRestoreException($"cannot restore {Describe(name, version)}: dotnet restore did not finish within {Timeout.TotalMinutes:0.#} min.");
        }
        process.WaitForExit();
        if (process.ExitCode == 0) return;
        string text;
        lock (output) text = output.ToString();
        var answers = text.Split('\n').Select(l => l.Trim()).Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase) && l.Length > 0)
            .Select(l => l.Replace(Path.Combine(folder, "restore.csproj") + " : ", "", StringComparison.Ordinal))
            .Select(l => System.Text.RegularExpressions.Regex.Replace(l, @"\s*\[[^\]]*restore\.csproj\]$", ""))
            .Distinct().ToList();
        var from = "the configured NuGet sources" + (sources.Count > 0 ? $" and {string.Join(", ", sources)}" : "");
        throw new NuGetRestoreException($"cannot restore {Describe(name, version)} from {from}: " +
                                        (answers.Count > 0 ? string.Join(" ", answers) : $"dotnet restore exited with code {process.ExitCode}: {text.Trim()}"));
    }

    static string Describe(string name, string? version) => version is null ? $"{name} (newest version)" : $"{name} {version}";

    /// <summary>Reads the restored package's version and runtime assemblies (with its dependencies') from project.assets.json.</summary>
    static RestoredPackage ReadAssets(string assetsPath, string name)
    {
        var assets = JsonNode.Parse(File.ReadAllText(assetsPath))!;
        var packageFolders = (assets["packageFolders"] as JsonObject)?.Select(p => p.Key).ToList() ?? [];
        var libraries = assets["libraries"] as JsonObject ?? [];
        var target = (assets["targets"] as JsonObject)?.FirstOrDefault(t => !t.Key.Contains('/')).Value as JsonObject
                     ?? throw new NuGetRestoreException($"cannot read {assetsPath}: it has no target framework.");
        string? version = null;
        var runtime = System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory();
        // The engine's own assemblies (beside it, or in the shared framework) are reused, not loaded a second time.
        var engine = Path.GetFullPath(AppContext.BaseDirectory).TrimEnd(Path.DirectorySeparatorChar);
        var loaded = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsDynamic && a.Location.Length > 0 && Path.GetDirectoryName(a.Location)!.TrimEnd(Path.DirectorySeparatorChar) == engine)
            .Select(a => a.GetName().Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var assemblies = new List<string>();
        foreach (var (key, entry) in target)
        {
            if (entry?["type"]?.GetValue<string>() != "package") continue;
            var slash = key.IndexOf('/');
            var id = key[..slash];
            if (id.Equals(name, StringComparison.OrdinalIgnoreCase)) version = key[(slash + 1)..];
            var libraryPath = libraries[key]?["path"]?.GetValue<string>() ?? key.ToLowerInvariant();
            foreach (var (asset, _) in entry["runtime"] as JsonObject ?? [])
            {
                if (!asset.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)) continue;   // "_._" marks an empty folder
                var simple = Path.GetFileNameWithoutExtension(asset);
                if (loaded.Contains(simple) || File.Exists(Path.Combine(runtime, simple + ".dll"))) continue;
                var file = packageFolders.Select(f => Path.Combine(f, libraryPath, asset)).FirstOrDefault(File.Exists);
                if (file is not null) assemblies.Add(file);
            }
        }
        if (version is null) throw new NuGetRestoreException($"the restore of {name} did not resolve the package ({assetsPath}).");
        return new RestoredPackage(name, version, assemblies);
    }
}
