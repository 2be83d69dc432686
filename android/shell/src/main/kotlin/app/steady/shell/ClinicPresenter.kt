// The clinic: enroll by typing or scanning the code, consent per category with
// every element of the consent shown, revoke, what was shared, and messages.
package app.steady.shell

import app.steady.core.model.ClinicScreen
import app.steady.core.model.ConsentCategory
import app.steady.core.model.ConsentGrant
import app.steady.core.model.SyncReport
import kotlinx.coroutines.flow.StateFlow

sealed interface ClinicEvent {
    /** [code] as typed or as read from the clinic's QR code; [serverUrl] likewise. */
    data class Enroll(val code: String, val serverUrl: String, val deviceName: String?) : ClinicEvent
    data class Grant(val categories: List<ConsentCategory>, val signature: String, val expiresAtMs: Long?) : ClinicEvent
    data class Revoke(val categories: List<ConsentCategory>) : ClinicEvent
    data class Send(val body: String, val inReplyTo: String?) : ClinicEvent
    data object MessagesRead : ClinicEvent
    data object SyncNow : ClinicEvent
}

class ClinicPresenter(private val session: SteadySession) : ScreenPresenter() {
    val state: StateFlow<ClinicScreen?> = session.clinic
    val lastSync: StateFlow<SyncReport?> = session.lastSync

    suspend fun handle(event: ClinicEvent) {
        attempt {
            when (event) {
                is ClinicEvent.Enroll -> session.enroll(event.code, event.serverUrl, event.deviceName)
                is ClinicEvent.Grant -> session.call {
                    it.grantConsent(ConsentGrant(event.categories, expiresAtMs = event.expiresAtMs, signature = event.signature))
                }
                is ClinicEvent.Revoke -> session.call { it.revokeConsent(event.categories) }
                is ClinicEvent.Send -> session.call { it.sendMessage(event.body, event.inReplyTo) }
                ClinicEvent.MessagesRead -> session.call { it.markClinicMessagesRead() }
                ClinicEvent.SyncNow -> session.sync()
            }
        }
    }
}
