<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>Counts</name>
    <message numerus="yes">
        <source>%n member(s)</source>
        <translation>
            <numerusform>%n member</numerusform>
            <numerusform>%n members</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n room(s)</source>
        <translation>
            <numerusform>%n room</numerusform>
            <numerusform>%n rooms</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n unread</source>
        <translation>
            <numerusform>%n unread</numerusform>
            <numerusform>%n unread</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n mentioning you</source>
        <translation>
            <numerusform>%n mentioning you</numerusform>
            <numerusform>%n mentioning you</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message numerus="yes">
        <source>%n message(s) found so far (newest first); scroll down for more.</source>
        <translation>
            <numerusform>%n message found so far (newest first); scroll down for more.</numerusform>
            <numerusform>%n messages found so far (newest first); scroll down for more.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) found (newest first).</source>
        <translation>
            <numerusform>%n message found (newest first).</numerusform>
            <numerusform>%n messages found (newest first).</numerusform>
        </translation>
    </message>
</context>
</TS>
