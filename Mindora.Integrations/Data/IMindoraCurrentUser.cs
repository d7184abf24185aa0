namespace Mindora.Integrations.Data;

/// <summary>
/// Who the audit log names for a change. The default is the signed-in user of the current HTTP
/// request, else <c>system</c>; register a singleton implementation to name users another way
/// (a worker acting for the user who enqueued a task, for example). It is read on every save,
/// from any thread, so it must be cheap and thread-safe.
/// </summary>
public interface IMindoraCurrentUser
{
    /// <summary>The name recorded in <see cref="AuditLogEntry.UserName"/>.</summary>
    string UserName { get; }
}
