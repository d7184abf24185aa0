using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Mindora.Hosting.ApplicationModel;

namespace Mindora.Hosting;

/// <summary>
/// Gives every parameter its value before anything starts: from configuration
/// <c>Parameters:{name}</c>, else a generated value kept in <c>{data-dir}/secrets/parameters.json</c>
/// (owner-only permissions; the data directory is never committed) so passwords survive restarts.
/// </summary>
internal sealed class ParameterResolver(IConfiguration configuration, string dataDirectory, SecretMasker masker, bool generateMissing = true, bool requireAll = true)
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private const string SpecialAlphabet = "-_.~";
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private string StorePath => Path.Combine(dataDirectory, "secrets", "parameters.json");

    public void ResolveAll(IEnumerable<ParameterResource> parameters)
    {
        Dictionary<string, string>? stored = null;
        var changed = false;
        foreach (var parameter in parameters)
        {
            var value = configuration[$"Parameters:{parameter.Name}"];
            if (value is null && generateMissing && parameter.GeneratedDefault is { } generate)
            {
                stored ??= Load();
                if (!stored.TryGetValue(parameter.Name, out value))
                {
                    value = Generate(generate);
                    stored[parameter.Name] = value;
                    changed = true;
                }
            }

            if (value is null && !requireAll)
            {
                continue;
            }

            if (value is null)
            {
                throw new ModelValidationException(
                    parameter.Name,
                    $"the parameter has no value. Set Parameters:{parameter.Name} in configuration (appsettings, user secrets, the environment variable Parameters__{parameter.Name} or --Parameters:{parameter.Name}=VALUE).");
            }

            if (parameter.Secret)
            {
                masker.Add(value);
            }

            parameter.SetValue(value);
        }

        if (changed && stored is not null)
        {
            Save(stored);
        }
    }

    private Dictionary<string, string> Load()
    {
        if (!File.Exists(StorePath))
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(StorePath)) ?? [];
        }
        catch (JsonException)
        {
            throw new MindoraHostingException($"{StorePath} is not valid JSON; fix or delete it (deleting it generates new passwords, which breaks kept data).");
        }
    }

    private void Save(Dictionary<string, string> values)
    {
        var directory = Path.GetDirectoryName(StorePath)!;
        Directory.CreateDirectory(directory);
        var temp = StorePath + ".tmp";
        using (var stream = Runtimes.OwnerOnlyFile.Create(temp))
        {
            JsonSerializer.Serialize(stream, values, Indented);
        }

        File.Move(temp, StorePath, overwrite: true);
    }


    private static string Generate(GeneratedParameterDefault generate)
    {
        var alphabet = generate.Special ? Alphabet + SpecialAlphabet : Alphabet;
        return RandomNumberGenerator.GetString(alphabet, Math.Max(16, generate.MinLength));
    }
}
