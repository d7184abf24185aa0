using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mindora.Hosting.Dashboard;

/// <summary>The dashboard API's view of a resource.</summary>
internal sealed record ResourceDto(
    string Name,
    string Kind,
    string? Runtime,
    string? RuntimeReason,
    string State,
    string Health,
    string? HealthDescription,
    IReadOnlyList<EndpointSnapshot> Endpoints,
    DateTimeOffset? StartedAt,
    DateTimeOffset? StoppedAt,
    int? ExitCode,
    int Restarts,
    int? ProcessId,
    IReadOnlyList<string> WaitsFor,
    string? Parent,
    string? Error,
    IReadOnlyList<EnvironmentVariableSnapshot>? Environment)
{
    public static ResourceDto From(ResourceSnapshot s, bool withEnvironment) => new(
        s.Name,
        s.Kind,
        s.Runtime?.ToString().ToLowerInvariant(),
        s.RuntimeReason,
        JsonNamingPolicy.CamelCase.ConvertName(s.State.ToString()),
        s.Health.ToString().ToLowerInvariant(),
        s.HealthDescription,
        s.Endpoints,
        s.StartedAt,
        s.StoppedAt,
        s.ExitCode,
        s.Restarts,
        s.ProcessId,
        s.WaitsFor,
        s.Parent,
        s.Error,
        withEnvironment ? s.Environment : null);
}

/// <summary>A log line as the API returns it.</summary>
internal sealed record LogLineDto(long Seq, DateTimeOffset Time, string Stream, string Text)
{
    public static LogLineDto From(LogLine line) => new(line.Sequence, line.Timestamp, line.Origin.ToString().ToLowerInvariant(), line.Text);
}

/// <summary>A page of log lines.</summary>
internal sealed record LogPageDto(string Resource, IReadOnlyList<LogLineDto> Lines);

/// <summary>One app's tasks as its admin endpoint reported them, or why they are missing.</summary>
internal sealed record AppTasksDto(string Resource, JsonElement? Tasks, string? Error);

/// <summary>Source-generated serialization for the dashboard API.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IReadOnlyList<ResourceDto>))]
[JsonSerializable(typeof(ResourceDto))]
[JsonSerializable(typeof(LogPageDto))]
[JsonSerializable(typeof(LogLineDto))]
[JsonSerializable(typeof(IReadOnlyList<AppTasksDto>))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
